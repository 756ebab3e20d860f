"""The triage a new referral goes to, told to the melder on submitting (issue 36, part 2 in part)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from config.definitions import WEEKDAYS, Triage
from handlers.dates.clock import FixedClock
from handlers.dates.formatting import long_date
from handlers.dates.working_days import WorkingCalendar
from handlers.triage import next_triage
from tests.conftest import AMSTERDAM, Chat
from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST

# The region's default: every Tuesday 10:00, cut-off Monday 12:00 (config/process.toml).
TUESDAY = Triage(WEEKDAYS.index("tuesday"), time(10), WEEKDAYS.index("monday"), time(12))


async def test_the_melder_reads_which_triage_the_referral_goes_to(chat: Chat, clock: FixedClock) -> None:
    calendar = chat.app.calendar
    today = calendar.local_date(clock.now())
    assert today.weekday() == 0 and clock.now().astimezone(AMSTERDAM).time() < time(12)  # Monday morning
    tomorrow = long_date(chat.app.texts, "nl", calendar.at(today + timedelta(days=1), time(10)), calendar.tz)
    await chat("agent", *CHECK_THAT_FITS)
    assert f"besproken in de triage van {tomorrow}." in await chat("agent", "ja", *REFERRAL_REST)

    clock.advance(timedelta(hours=3))  # Monday afternoon: past the cut-off, so the week after
    next_week = long_date(chat.app.texts, "nl", calendar.at(today + timedelta(days=8), time(10)), calendar.tz)
    await chat("agent", *CHECK_THAT_FITS)
    assert f"besproken in de triage van {next_week}." in await chat("agent", "ja", *REFERRAL_REST)


def test_a_triage_on_a_public_holiday_is_skipped() -> None:
    calendar = WorkingCalendar("Europe/Amsterdam", "NL", time(8), time(18))
    friday = Triage(WEEKDAYS.index("friday"), time(9), WEEKDAYS.index("thursday"), time(12))
    # Christmas 2026 and New Year's Day 2027 are Fridays: the first triage after them is 8 January.
    monday = datetime(2026, 12, 21, 9, tzinfo=AMSTERDAM)
    assert next_triage(calendar, [friday], monday) == datetime(2027, 1, 8, 9, tzinfo=AMSTERDAM)
    assert next_triage(calendar, [friday, TUESDAY], monday) == datetime(2026, 12, 22, 10, tzinfo=AMSTERDAM)
    assert next_triage(calendar, [], monday) is None
