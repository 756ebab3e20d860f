"""Working days, the sending window and the weekly overview moment, with a settable 'now'."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from config.settings import Settings
from handlers.dates.working_days import WorkingCalendar
from handlers.reminders import next_overview
from tests.conftest import AMSTERDAM

CALENDAR = WorkingCalendar("Europe/Amsterdam", "NL", time(8, 0), time(18, 0))


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 23), True),  # Monday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 12, 25), False),  # Eerste Kerstdag
        (date(2027, 1, 1), False),  # Nieuwjaarsdag
        (date(2027, 3, 29), False),  # Tweede Paasdag
        (date(2027, 4, 27), False),  # Koningsdag, a Tuesday
        (date(2027, 5, 6), False),  # Hemelvaartsdag
        (date(2027, 5, 17), False),  # Tweede Pinksterdag
        (date(2027, 4, 28), True),
    ],
)
def test_working_days_skip_weekends_and_dutch_public_holidays(day: date, working: bool) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_shifting_by_working_days_jumps_over_christmas_and_weekends() -> None:
    assert CALENDAR.shift(date(2026, 12, 28), -2) == date(2026, 12, 23)  # Mon → Wed before Christmas
    assert CALENDAR.shift(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert CALENDAR.shift(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday → Monday
    assert CALENDAR.on_or_before(date(2026, 11, 29)) == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("moment", "urgent", "expected"),
    [
        (local(2026, 11, 23, 10, 15), False, local(2026, 11, 23, 10, 15)),  # inside the window
        (local(2026, 11, 23, 7, 59), False, local(2026, 11, 23, 8, 0)),  # early: later that morning
        (local(2026, 11, 23, 18, 0), False, local(2026, 11, 24, 8, 0)),  # the window has closed
        (local(2026, 11, 27, 20, 30), False, local(2026, 11, 30, 8, 0)),  # Friday evening → Monday
        (local(2026, 11, 28, 12, 0), True, local(2026, 11, 28, 12, 0)),  # urgent: Saturday noon is fine
        (local(2026, 11, 28, 22, 0), True, local(2026, 11, 29, 8, 0)),  # urgent still waits for the hours
        (local(2026, 12, 24, 18, 30), False, local(2026, 12, 28, 8, 0)),  # over Christmas and a weekend
    ],
)
def test_nothing_is_sent_outside_the_window(moment: datetime, urgent: bool, expected: datetime) -> None:
    assert CALENDAR.next_allowed(moment, urgent) == expected


def test_an_all_day_window_on_every_day_never_waits() -> None:
    always = WorkingCalendar("Europe/Amsterdam", "NL", time(0, 0), time(0, 0), any_day=True)
    for moment in (local(2026, 11, 28, 3, 0), local(2026, 12, 25, 23, 59)):
        assert always.next_allowed(moment) == moment


def test_nine_o_clock_stays_nine_o_clock_across_daylight_saving_changes() -> None:
    before_spring = CALENDAR.at(date(2027, 3, 26), time(9, 0))  # Friday, winter time
    after_spring = CALENDAR.at(CALENDAR.shift(date(2027, 3, 26), 1), time(9, 0))  # Tuesday after Easter
    assert after_spring.date() == date(2027, 3, 30)
    assert before_spring.astimezone(UTC).hour == 8
    assert after_spring.astimezone(UTC).hour == 7
    after_autumn = CALENDAR.at(CALENDAR.shift(date(2026, 10, 23), 1), time(9, 0))  # over 25 October
    assert after_autumn.astimezone(UTC).hour == 8 and after_autumn.date() == date(2026, 10, 26)
    # The window follows local time too: 07:30 UTC is 08:30 in winter but 09:30 in summer.
    assert CALENDAR.may_send(datetime(2027, 3, 30, 6, 30, tzinfo=UTC), False)
    assert not CALENDAR.may_send(datetime(2027, 3, 26, 6, 30, tzinfo=UTC), False)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2026, 11, 23, 8, 0), local(2026, 11, 23, 8, 30)),  # Monday before 08:30: today
        (local(2026, 11, 23, 10, 15), local(2026, 11, 30, 8, 30)),  # after it: next Monday
        (local(2026, 11, 26, 12, 0), local(2026, 11, 30, 8, 30)),
        (local(2027, 3, 26, 12, 0), local(2027, 3, 30, 8, 30)),  # Easter Monday: the Tuesday
    ],
)
def test_the_weekly_overview_is_on_monday_or_the_first_working_day_after(
    now: datetime, expected: datetime
) -> None:
    assert next_overview(CALENDAR, Settings(), now) == expected
