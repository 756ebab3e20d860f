"""The plan van aanpak off the book: its summary shows everything that will be stored, and a 'nee' at it changes
one part instead of throwing the whole plan away."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Action, Professional
from tests.conftest import Chat
from tests.test_scenario import refer_a_case

# Three actions (what, who, by when and 'ja' to the date read, 'more?'), no next overleg: the dates lie ahead of
# the tests' clock.
THREE_ACTIONS = [
    *("Huisbezoek afleggen", "agent", "vrijdag 4 december 14:00", "ja", "ja"),
    *("Schuldhulp opstarten", "wijkteam", "maandag 7 december", "ja", "ja"),
    *("Woonbegeleiding regelen", "Willem", "woensdag 9 december", "ja", "nee"),
    "geen",
]


async def test_a_no_at_the_plans_summary_changes_one_action_and_keeps_the_rest(chat: Chat) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    summary = await chat("regisseur", f"plan {number}", *THREE_ACTIONS)
    # Everything that will be stored, holders included.
    assert "1. Huisbezoek afleggen — Anna Agent (Politie Eenheid Voorbeeld), uiterlijk vr 4 dec" in summary
    assert "3. Woonbegeleiding regelen — Willem Wijkteam" in summary
    which = await chat("regisseur", "nee")
    assert "Wat wilt u wijzigen?" in which and "actie 2: Schuldhulp opstarten" in which
    again = await chat("regisseur", "actie 2", "Schuldhulp aanvragen", "Rik", "dinsdag 8 december", "ja")
    assert "2. Schuldhulp aanvragen — Rik Reclassering" in again and "Schuldhulp opstarten" not in again
    assert "1. Huisbezoek afleggen" in again and "3. Woonbegeleiding regelen" in again
    assert "vastgelegd (3 acties)" in await chat("regisseur", "ja")
    async with chat.app.sessions() as session:
        rows = await session.execute(
            select(Action.seq, Action.description, Professional.handle)
            .join(Professional, Professional.id == Action.holder_id)
            .order_by(Action.seq)
        )
        stored = [tuple(row) for row in rows]
    assert stored == [
        (1, "Huisbezoek afleggen", "agent"),
        (2, "Schuldhulp aanvragen", "reclassering"),
        (3, "Woonbegeleiding regelen", "wijkteam"),
    ]


async def test_throwing_the_plan_away_is_asked_once_more_and_no_brings_the_summary_back(chat: Chat) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"plan {number}", *THREE_ACTIONS, "nee")
    assert "Het hele plan weggooien, met 3 acties?" in await chat("regisseur", "alles weggooien")
    assert "Plan van aanpak met 3 acties" in await chat("regisseur", "nee")  # nothing lost
    await chat("regisseur", "nee", "het volgende overleg")
    assert "Volgend overleg: di 15 dec 10:00" in await chat("regisseur", "15 december 10:00", "ja")
    await chat("regisseur", "nee", "alles weggooien")
    assert "niet vastgelegd" in await chat("regisseur", "ja")
    async with chat.app.sessions() as session:
        assert (await session.scalars(select(Action.id))).all() == []


async def test_plan_on_a_running_case_says_how_an_action_is_added(chat: Chat) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"plan {number}", *THREE_ACTIONS, "ja")
    refused = await chat("regisseur", f"plan {number}")
    assert "vervolgoverleg starten" in refused and f"'wijzig {number}'" in refused
    await chat("regisseur", f"casus {number}", "vervolgoverleg starten", "ja")
    assert "Wat is de actie?" in await chat("regisseur", f"plan {number}")  # the way it said works
