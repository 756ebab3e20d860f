"""When a routine reminder waits (issue 36, part 4): the digest's moment skips weekends and public holidays and
keeps to the sending window; the first day back is a working day; what is urgent, or not routine, never waits."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from config.settings import Settings
from handlers import pacing
from handlers.dates.working_days import WorkingCalendar
from handlers.notices import DELIVERY_FAILED
from handlers.reminders import ACTION_DUE_SOON, ACTION_OVERDUE_DIRECTOR
from storage.models import PendingMessage, Professional
from tests.conftest import AMSTERDAM

CALENDAR = WorkingCalendar("Europe/Amsterdam", "NL", time(8), time(18))
SETTINGS = Settings()
# Thursday 24 December 2026, after the digest time: Christmas (Friday) and Boxing Day fall in between.
CHRISTMAS_EVE = datetime(2026, 12, 24, 17, 0, tzinfo=AMSTERDAM)


def person(digest_at: time | None = None, away_until: date | None = None) -> Professional:
    return Professional(id=7, handle="h", name="n", digest_at=digest_at, away_until=away_until)


def row(urgent: bool = False, gathered_for: datetime | None = None) -> PendingMessage:
    return PendingMessage(id=3, urgent=urgent, gathered_for=gathered_for, scheduled_at=CHRISTMAS_EVE)


def test_the_next_digest_skips_the_weekend_and_the_holidays() -> None:
    assert pacing.next_digest(CALENDAR, time(16, 30), CHRISTMAS_EVE) == datetime(
        2026, 12, 28, 16, 30, tzinfo=AMSTERDAM
    )
    morning = CHRISTMAS_EVE.replace(hour=9)
    assert pacing.next_digest(CALENDAR, time(16, 30), morning) == CHRISTMAS_EVE.replace(hour=16, minute=30)


def test_back_on_a_holiday_means_the_next_working_day_at_the_digest_or_reminder_time() -> None:
    back = pacing.back_at(person(away_until=date(2026, 12, 25)), CALENDAR, SETTINGS)
    assert back == datetime(2026, 12, 28, 9, 0, tzinfo=AMSTERDAM)
    with_digest = person(time(16, 30), date(2026, 12, 25))
    assert pacing.back_at(with_digest, CALENDAR, SETTINGS) == datetime(2026, 12, 28, 16, 30, tzinfo=AMSTERDAM)
    assert pacing.back_at(person(), CALENDAR, SETTINGS) is None


def test_a_routine_reminder_waits_for_the_digest_and_goes_in_it_when_that_comes() -> None:
    someone = person(time(16, 30))
    aside = pacing.set_aside(someone, row(), ACTION_DUE_SOON, CALENDAR, SETTINGS, CHRISTMAS_EVE)
    assert aside is not None and aside.gathered and aside.reason == pacing.DIGEST
    assert aside.until == datetime(2026, 12, 28, 16, 30, tzinfo=AMSTERDAM)
    gathered = row(gathered_for=aside.until)
    later = aside.until + timedelta(seconds=1)
    assert pacing.set_aside(someone, gathered, ACTION_DUE_SOON, CALENDAR, SETTINGS, later) is None
    assert pacing.in_digest(someone, gathered, later)
    assert not pacing.in_digest(person(), gathered, later)  # the digest given up meanwhile: sent alone


def test_away_holds_it_and_gathers_it_for_the_digest_of_the_day_back() -> None:
    away = person(time(16, 30), date(2026, 12, 28))
    aside = pacing.set_aside(away, row(), ACTION_DUE_SOON, CALENDAR, SETTINGS, CHRISTMAS_EVE)
    assert aside is not None and aside.gathered and aside.until.day == 28
    only_away = person(away_until=date(2026, 12, 28))
    aside = pacing.set_aside(only_away, row(), ACTION_DUE_SOON, CALENDAR, SETTINGS, CHRISTMAS_EVE)
    assert aside is not None and not aside.gathered and aside.reason == pacing.AWAY


def test_what_is_urgent_or_not_routine_never_waits() -> None:
    both = person(time(16, 30), date(2027, 1, 4))
    assert (
        pacing.set_aside(both, row(urgent=True), ACTION_DUE_SOON, CALENDAR, SETTINGS, CHRISTMAS_EVE) is None
    )
    for kind in (ACTION_OVERDUE_DIRECTOR, DELIVERY_FAILED):
        assert pacing.set_aside(both, row(), kind, CALENDAR, SETTINGS, CHRISTMAS_EVE) is None
