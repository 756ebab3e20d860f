"""A new referral reaches its gemeente's aandachtsfunctionaris, not every procesregisseur (issue 36, part 1).

The referral's gemeente is the region's first (tests/scripts.py REFERRAL). Ruben (regisseur2) is made its
aandachtsfunctionaris, Petra (regisseur) is the rest of the team: more than one of each role, and the contact is
not the first procesregisseur in the store.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.app import App
from bot.channels.recording import RecordingSender
from bot.delivery import DeliveryEngine
from config.definitions import load_definitions
from handlers.dates.clock import FixedClock
from storage import gemeenten, people
from storage.models import OutboxStatus
from tests.conftest import AMSTERDAM, Chat
from tests.scripts import REFERRAL, referral_after_check
from tests.test_reminders import planned
from tests.test_scenario import CHECK_THAT_FITS, refer_a_case

GEMEENTE = REFERRAL["gemeente"]


def local(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%a %d %b %Y %H:%M")


async def make_contact(app: App, handle: str, *names: str) -> None:
    async with app.sessions() as session, session.begin():
        person = await people.professional_by_handle(session, handle)
        assert person is not None
        await gemeenten.set_for(session, person.id, names)


async def test_the_aandachtsfunctionaris_hears_first_and_the_team_after_four_working_hours(
    chat: Chat, clock: FixedClock
) -> None:
    await make_contact(chat.app, "regisseur2", GEMEENTE, "Soest")
    number = await refer_a_case(chat)
    team_at = chat.app.calendar.after_working_hours(clock.now(), 4)
    assert team_at == clock.now() + timedelta(hours=4)  # Monday morning: within the same working day
    assert await planned(chat.app, "new_referral", "referral_waiting") == [
        ("new_referral", "regisseur2", local(clock.now())),
        ("referral_waiting", "regisseur", local(team_at)),
    ]
    # Every procesregisseur still sees every waiting referral, with whose gemeente it is.
    assert f"{number} · {GEMEENTE} (aandacht: Ruben Regisseur)" in await chat("regisseur", "intake")
    assert f"{number} · {GEMEENTE} (uw gemeente)" in await chat("regisseur2", "intake")


async def test_taken_up_in_time_the_team_is_not_disturbed(
    chat: Chat, clock: FixedClock, tmp_path: Path
) -> None:
    await make_contact(chat.app, "regisseur2", GEMEENTE)
    await refer_a_case(chat)
    await chat("regisseur2", "intake", "1", "accepteren", "Ruben Regisseur")
    clock.advance(timedelta(hours=5))
    engine = DeliveryEngine(chat.app, [RecordingSender(tmp_path / "sent.jsonl")])
    while await engine.deliver_due():
        pass
    assert await planned(chat.app, "referral_waiting", status=OutboxStatus.SENT) == []
    assert await planned(chat.app, "referral_waiting", status=OutboxStatus.CANCELLED) != []


async def test_an_urgent_referral_and_a_gemeente_without_contact_reach_the_whole_team_at_once(
    chat: Chat, clock: FixedClock
) -> None:
    others = [name for name in load_definitions().region.gemeenten if name != GEMEENTE]
    await make_contact(chat.app, "regisseur2", *others)  # every gemeente but the referral's
    await refer_a_case(chat)
    await make_contact(chat.app, "regisseur2", GEMEENTE)
    await chat("agent", *CHECK_THAT_FITS)
    await chat("agent", "ja", *referral_after_check(urgency="hoog"))
    now = local(clock.now())
    assert await planned(chat.app, "new_referral", "referral_waiting") == [
        ("new_referral", "regisseur", now),
        ("new_referral", "regisseur", now),
        ("new_referral", "regisseur2", now),
        ("new_referral", "regisseur2", now),
    ]


async def test_the_colleague_standing_in_for_the_aandachtsfunctionaris_hears_at_once(
    chat: Chat, clock: FixedClock
) -> None:
    await make_contact(chat.app, "regisseur2", GEMEENTE)
    await chat("regisseur2", "waarneming", "Petra Regisseur", "over twee weken", "ja", "ja")
    await refer_a_case(chat)
    assert [row[:2] for row in await planned(chat.app, "new_referral", "referral_waiting")] == [
        ("new_referral", "regisseur"),
        ("new_referral", "regisseur2"),
    ]


def test_working_hours_count_only_on_working_days_within_the_window(chat: Chat, clock: FixedClock) -> None:
    calendar = chat.app.calendar
    friday_late = calendar.at(calendar.shift(calendar.local_date(clock.now()), 4), calendar.window_end)
    friday_late -= timedelta(hours=1)  # one working hour left on Friday
    monday = calendar.shift(calendar.local_date(friday_late), 1)
    assert calendar.after_working_hours(friday_late, 4) == calendar.at(
        monday, calendar.window_start
    ) + timedelta(hours=3)
    before_opening = calendar.at(monday, calendar.window_start) - timedelta(hours=2)
    assert calendar.after_working_hours(before_opening, 1) == calendar.at(
        monday, calendar.window_start
    ) + timedelta(hours=1)


async def test_the_ketenmanager_sees_and_changes_the_aandachtsfunctionaris_in_chat(chat: Chat) -> None:
    await make_contact(chat.app, "regisseur", "Baarn")
    shown = await chat("manager", "gemeenten")
    assert "- Baarn: Petra Regisseur (" in shown and "- Soest: niemand: het hele team" in shown
    assert "Wie wordt aandachtsfunctionaris voor Soest?" in await chat("manager", "Soest")
    confirm = await chat("manager", "Ruben")  # a part of the name picks him
    assert "Ruben Regisseur wordt aandachtsfunctionaris voor Soest" in confirm
    assert "voortaan eerst naar Ruben Regisseur" in await chat("manager", "ja")
    async with chat.app.sessions() as session:
        assert await gemeenten.contacts(session) == {
            "Baarn": (await people.professional_by_handle(session, "regisseur")).id,  # type: ignore[union-attr]
            "Soest": (await people.professional_by_handle(session, "regisseur2")).id,  # type: ignore[union-attr]
        }
    await chat("manager", "gemeenten", "Baarn", "niemand", "ja")  # back to the whole team
    async with chat.app.sessions() as session:
        assert set(await gemeenten.contacts(session)) == {"Soest"}
    assert "Dit kan alleen de ketenmanager" in await chat("regisseur", "gemeenten")
