"""Working days and the hours in which the bot may send on its own initiative.

Reminders are planned on local calendar dates (Europe/Amsterdam by default) and turned into UTC moments only at
the end, so a reminder 'at 09:00' stays at 09:00 across a daylight-saving change.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from config.settings import Settings


class WorkingCalendar:
    """Weekends and the public holidays of one country, in one time zone, with one sending window."""

    def __init__(
        self,
        timezone: str,
        country: str,
        window_start: time,
        window_end: time,
        *,
        any_day: bool = False,
    ) -> None:
        self.tz = ZoneInfo(timezone)
        self._holidays = holidays.country_holidays(country)
        self.window_start = window_start
        self.window_end = window_end
        self._any_day = any_day

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkingCalendar:
        return cls(
            settings.timezone,
            settings.holiday_country,
            settings.send_window_start,
            settings.send_window_end,
            any_day=settings.send_on_non_working_days,
        )

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def shift(self, day: date, working_days: int) -> date:
        """The date ``working_days`` working days after (or, when negative, before) ``day``."""
        step = 1 if working_days >= 0 else -1
        remaining = abs(working_days)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def after_working_hours(self, moment: datetime, hours: float) -> datetime:
        """The moment ``hours`` of working time after ``moment``: time counts on working days, between the start
        and the end of the sending window (all day where the window has no end)."""
        local, remaining = moment.astimezone(self.tz), timedelta(hours=hours)
        while True:
            day = local.date()
            start, end = self.at(day, self.window_start), self.at(day, self.window_end)
            if self.window_start == self.window_end:
                start, end = self.at(day, time(0)), self.at(day + timedelta(days=1), time(0))
            if self.is_working_day(day) and local < end:
                local = max(local, start)
                if local + remaining <= end:
                    return local + remaining
                remaining -= end - local
            local = self.at(day + timedelta(days=1), time(0))

    def on_or_before(self, day: date) -> date:
        """``day`` itself when it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def at(self, day: date, clock: time) -> datetime:
        """The moment ``clock`` local time on ``day``; zoneinfo resolves the DST gap and overlap."""
        return datetime.combine(day, clock, tzinfo=self.tz)

    def in_window(self, clock: time) -> bool:
        if self.window_start == self.window_end:
            return True
        return self.window_start <= clock < self.window_end

    def _day_allowed(self, day: date, urgent: bool) -> bool:
        return urgent or self._any_day or self.is_working_day(day)

    def may_send(self, moment: datetime, urgent: bool) -> bool:
        local = moment.astimezone(self.tz)
        return self.in_window(local.time()) and self._day_allowed(local.date(), urgent)

    def next_allowed(self, moment: datetime, urgent: bool = False) -> datetime:
        """``moment`` itself when sending is allowed then, else the start of the next allowed window."""
        if self.may_send(moment, urgent):
            return moment
        local = moment.astimezone(self.tz)
        day = local.date()
        if self.in_window(local.time()) or local.time() >= self.window_start:
            day += timedelta(days=1)
        while not self._day_allowed(day, urgent):
            day += timedelta(days=1)
        return self.at(day, self.window_start)
