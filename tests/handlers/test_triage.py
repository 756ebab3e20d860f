"""The intake rhythm (issue 36, part 2): the triage a new referral goes to, told to the melder on submitting, and the
term for a first decision: a reminder on its last day, and the melder told, with whom to call, when it ran out."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from bot.app import App
from bot.channels.recording import RecordingSender, read_recording
from bot.delivery import DeliveryEngine
from config.definitions import WEEKDAYS, Triage
from handlers.dates.clock import FixedClock
from handlers.dates.formatting import long_date
from handlers.dates.working_days import WorkingCalendar
from handlers.triage import next_triage
from storage.models import OutboxStatus
from tests.conftest import AMSTERDAM, Chat
from tests.test_gemeente_contacts import local
from tests.test_reminders import planned
from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST, refer_a_case

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
    # A pure function whose only clock is the moment given. Christmas 2026 and New Year's Day 2027 are Fridays:
    # the first triage after them is 8 January.
    monday = datetime(2026, 12, 21, 9, tzinfo=AMSTERDAM)
    assert next_triage(calendar, [friday], monday) == datetime(2027, 1, 8, 9, tzinfo=AMSTERDAM)
    assert next_triage(calendar, [friday, TUESDAY], monday) == datetime(2026, 12, 22, 10, tzinfo=AMSTERDAM)
    assert next_triage(calendar, [], monday) is None


async def test_the_term_reminds_the_procesregisseurs_and_tells_the_melder_whom_to_call(
    chat: Chat, clock: FixedClock, tmp_path: Path
) -> None:
    number = await refer_a_case(chat)
    calendar, today = chat.app.calendar, chat.app.calendar.local_date(clock.now())
    last_day = calendar.at(calendar.shift(today, 5), calendar.window_start)
    after = calendar.at(calendar.shift(today, 6), calendar.window_start)
    assert await planned(chat.app, "intake_term_ends", "intake_late") == [
        ("intake_late", "agent", local(after)),
        ("intake_term_ends", "regisseur", local(last_day)),
        ("intake_term_ends", "regisseur2", local(last_day)),
    ]
    clock.advance(after - clock.now() + timedelta(minutes=1))
    sent = await delivered(chat.app, tmp_path)
    assert ("agent", f"Over uw aanmelding {number} is binnen de termijn nog geen besluit genomen.") in [
        (to, text.split(" Het ")[0]) for to, text in sent
    ]
    assert any(to == "agent" and text.endswith("Bel Procesregisseurs Zorg- en Veiligheidshuis: 033 000 0001.")
               for to, text in sent)  # fmt: skip


async def test_a_decision_in_time_stops_the_terms_notices(
    chat: Chat, clock: FixedClock, tmp_path: Path
) -> None:
    await refer_a_case(chat)
    await chat("regisseur", "intake", "1", "accepteren", "Petra Regisseur")
    clock.advance(timedelta(days=10))
    sent = await delivered(chat.app, tmp_path)
    assert not [text for _, text in sent if "termijn" in text]
    assert await planned(chat.app, "intake_term_ends", "intake_late", status=OutboxStatus.CANCELLED) != []


async def delivered(app: App, tmp_path: Path) -> list[tuple[str, str]]:
    """Everything due, through the recording channel: (recipient, text)."""
    recorder = RecordingSender(tmp_path / "sent.jsonl")
    engine = DeliveryEngine(app, [recorder])
    while await engine.deliver_due():
        pass
    return [(item["to"], item["text"]) for item in read_recording(recorder.path)]
