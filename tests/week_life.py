"""The procesregisseur's week (issue 36), written once and played at every real client: after a referral made and
planned in the terminal (two actions for the agent, the wijkteam worker taking part, an overleg on Tuesday
15 December), the agent chooses one digest a day in `instellingen`, the wijkteam worker answers the overleg's
question in place, the agent goes away, and the procesregisseur gets the agenda, each at their own client.

The clock is the tests' fixed in-process clock: the dates typed are on it, never on a real one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select

from bot.app import App
from handlers.dates.clock import FixedClock
from storage.models import Dialogue, OutboxStatus, PendingMessage, Professional
from tests.case_life import Client
from tests.conftest import AMSTERDAM, Chat

WEEK_PEOPLE = ("agent", "regisseur", "wijkteam")
ASKED = datetime(2026, 12, 11, 9, 0, tzinfo=AMSTERDAM)  # two working days before the overleg
DIGEST = datetime(2026, 12, 11, 16, 30, tzinfo=AMSTERDAM)
AGENDA = datetime(2026, 12, 15, 8, 0, tzinfo=AMSTERDAM)


async def plan_the_week(app: App, number: str) -> None:
    """In the terminal: accepted, the wijkteam worker added, two actions for the agent and the overleg planned."""
    chat = Chat(app)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"deelnemers {number}", "iemand toevoegen", "wijkteam", "ja")
    recorded = await chat(
        "regisseur", f"plan {number}",
        "Huisbezoek afleggen", "agent", "vrijdag 18 december 14:00", "ja", "ja",
        "Buurtagent informeren", "agent", "vrijdag 18 december 16:00", "ja", "nee",
        "15 december 10:00", "ja", "ja",
    )  # fmt: skip
    assert "vastgelegd (2 acties)" in recorded, recorded


async def question_left_open(app: App, handle: str, seconds: float = 10.0) -> None:
    """Wait until the notice just received has left its question open: the engine does that right after sending,
    and a test client answers within milliseconds, where a person takes seconds."""
    async with asyncio.timeout(seconds):
        while True:
            async with app.sessions() as session:
                query = (
                    select(func.count())
                    .select_from(Dialogue)
                    .join(Professional, Professional.id == Dialogue.professional_id)
                    .where(Professional.handle == handle)
                )
                if await session.scalar(query):
                    return
            await asyncio.sleep(0.05)


async def notices_delivered(app: App, people: Mapping[str, Client], seconds: float = 30.0) -> None:
    """Wait until every notice due by now has left, then let each client pass over what came: the plan's notices
    arrive in any order, and an answer read next must be the answer to the next message."""
    async with asyncio.timeout(seconds):
        while True:
            async with app.sessions() as session:
                query = select(func.count()).where(
                    PendingMessage.status == OutboxStatus.PENDING, PendingMessage.scheduled_at <= app.now()
                )
                if not await session.scalar(query):
                    break
            await asyncio.sleep(0.1)
    for client in people.values():
        if client.drain is not None:
            await client.drain()


async def live_a_week(app: App, clock: FixedClock, number: str, people: Mapping[str, Client]) -> None:
    agent, regisseur, wijkteam = (people[handle] for handle in WEEK_PEOPLE)
    await notices_delivered(app, people)

    shown = await agent.ask("instellingen")
    assert "Herinneringen: elk apart" in shown
    await agent.ask("herinneringen", "één overzicht per dag")
    assert "één overzicht per werkdag om 16:30" in await agent.ask("16:30")

    # Friday 09:00: the participant is asked at once; the agent's two questions wait for the digest.
    clock.advance(ASKED - clock.now())
    await wijkteam.expect(f"Het casusoverleg over casus {number} is op dinsdag 15 december 2026, 10:00")
    await question_left_open(app, "wijkteam")
    answer = await wijkteam.ask("update geven")
    assert "Typ uw terugkoppeling" in answer, answer
    await wijkteam.ask("Contact met school loopt", "nee")
    clock.advance(DIGEST - clock.now())
    digest = await agent.read("Uw herinneringen van vandaag (2)")
    assert "Hoe staat actie #1 ervoor" in digest and "Hoe staat actie #2 ervoor" in digest

    # The agent goes away: the procesregisseur hears who holds what.
    saved = await agent.ask("afwezig tot en met 18 december")
    assert "vrijdag 18 december 2026" in saved
    assert "maandag 21 december 2026, 16:30" in await agent.ask("ja")  # back on Monday, at the digest time
    told = await regisseur.read("Anna Agent is afwezig")
    assert "Huisbezoek afleggen" in told and "Buurtagent informeren" in told

    # Tuesday 08:00: the agenda, with who has not answered.
    clock.advance(AGENDA - clock.now())
    agenda = await regisseur.read("Agenda voor het casusoverleg van dinsdag 15 december 2026")
    assert "nog geen antwoord van: Anna Agent (Politie Eenheid Voorbeeld) #1 #2" in agenda, agenda
    assert "Willem Wijkteam" not in agenda, agenda
    assert "Contact met school loopt" in await regisseur.ask("agenda")
