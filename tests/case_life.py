"""A whole case life, written once and played at every real client: after intake, accept → plan with three
actions → reassign one, postpone one, cancel one → add a participant → opschalen → hand over to a colleague →
afschalen (chosen per action) → afsluiten. After every step the store's invariant is checked, and each person
concerned must receive what they are told at their own client.

The people are the demo's agent (melder and holder), the two procesregisseurs and the wijkteam worker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.app import App
from handlers.all_notices import NOTICES
from handlers.reminders import ACTION_REMINDERS, MEETING_REMINDER
from storage import actions, cases
from storage.models import ActionStatus, Case, CaseState, OutboxStatus, PendingMessage, Professional

CASE_LIFE_PEOPLE = ("agent", "regisseur", "regisseur2", "wijkteam")

PEOPLE = ("regisseur", "regisseur2", "agent", "wijkteam", "ggz", "reclassering", "manager")


async def assert_consistent(app: App, now_step: str) -> None:
    """The invariant: what is stored about each case agrees with the state it is in."""
    async with app.sessions() as session:
        for case in (await session.scalars(select(Case))).all():
            items = await actions.for_case(session, case.id)
            pending = (
                await session.scalars(
                    select(PendingMessage).where(
                        PendingMessage.case_number == case.number,
                        PendingMessage.status == OutboxStatus.PENDING,
                    )
                )
            ).all()
            open_ids = {a.id for a in items if a.status is ActionStatus.OPEN}
            for row in pending:
                if row.kind in ACTION_REMINDERS:
                    assert row.action_id in open_ids, (now_step, "a reminder of an action that is not open")
                if row.kind == MEETING_REMINDER:
                    assert case.next_meeting_at is not None, (
                        now_step,
                        "a reminder of an overleg that is not set",
                    )
            if case.state is CaseState.AFGESLOTEN:
                assert not open_ids, (now_step, "a closed case with open actions")
                assert case.next_meeting_at is None, (now_step, "a closed case with a next overleg")
                closing = {str(kind) for kind in NOTICES if kind.after_closing}
                assert {row.kind for row in pending} <= closing, (
                    now_step,
                    "queued about a closed case",
                )
        for handle in PEOPLE:
            person = (await session.scalars(select(Professional).where(Professional.handle == handle))).one()
            for _, number in await actions.open_for_holder(session, person):
                held = await cases.by_number(session, number)
                assert held is not None and held.state is not CaseState.AFGESLOTEN, (now_step, handle)


async def told(app: App, kind: str) -> list[str]:
    """Who has a notice of this kind queued or sent, by handle."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(Professional.handle)
            .join(PendingMessage, PendingMessage.recipient_id == Professional.id)
            .where(PendingMessage.kind == kind, PendingMessage.status != OutboxStatus.CANCELLED)
            .order_by(Professional.handle)
        )
        return list(rows.scalars())


@dataclass(frozen=True)
class Client:
    """One professional at their own client: say things and read the answer, or wait for a notice."""

    ask: Callable[..., Awaitable[str]]
    expect: Callable[[str], Awaitable[Any]]
    # The text of what ``expect`` returned, as the person reads it (a Matrix body, a Teams card's text).
    text_of: Callable[[Any], str] = str
    # Let what has arrived by now go unread, so that the next answer read is the answer to the next message.
    drain: Callable[[], Awaitable[None]] | None = None

    async def read(self, fragment: str) -> str:
        """The text of the first notice that contains ``fragment``."""
        return self.text_of(await self.expect(fragment))


async def live_a_case(app: App, number: str, people: Mapping[str, Client]) -> None:
    """``number`` is a referral of the agent's waiting in the intake."""
    agent, regisseur, colleague, wijkteam = (people[handle] for handle in CASE_LIFE_PEOPLE)

    assert "geaccepteerd" in await regisseur.ask(f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await agent.expect(f"Uw aanmelding {number} is geaccepteerd")
    plan = [
        *("Huisbezoek afleggen", "agent", "vrijdag 4 december 14:00", "ja", "ja"),
        *("Schuldhulp regelen", "agent", "vrijdag 11 december", "ja", "ja"),
        *("Buurtoverleg", "wijkteam", "vrijdag 18 december", "ja", "nee"),
        *("15 december 10:00", "ja", "ja"),
    ]
    assert "vastgelegd (3 acties)" in await regisseur.ask(f"plan {number}", *plan)
    await assert_consistent(app, "planned")
    await wijkteam.expect(f"actiehouder van actie {number} #3")

    await regisseur.ask(f"wijzig {number} #2", "andere actiehouder", "wijkteam")
    assert "nieuwe actiehouder" in await regisseur.ask("ja")
    await assert_consistent(app, "reassigned")
    await agent.expect(f"Actie {number} #2 is overgedragen aan iemand anders")
    await wijkteam.expect(f"actiehouder van actie {number} #2")

    assert "vrijdag 11 december 2026" in await agent.ask("acties", "1", "uitstel tot vrijdag 11 december")
    assert "schuiven mee" in await agent.ask("ja")
    await assert_consistent(app, "postponed")
    await regisseur.expect(f"De deadline van actie {number} #1 is verschoven")

    await regisseur.ask(f"wijzig {number} #3", "annuleren", "Het buurtoverleg is niet meer nodig")
    assert "geannuleerd" in await regisseur.ask("ja")
    await assert_consistent(app, "cancelled")
    await wijkteam.expect(f"Actie {number} #3 is geannuleerd")

    assert "neemt nu deel" in await regisseur.ask(
        f"deelnemers {number}", "iemand toevoegen", "wijkteam", "ja"
    )
    await wijkteam.expect(f"U neemt deel aan casus {number}")

    await regisseur.ask(f"casus {number}", "opschalen", "Afspraken worden niet nagekomen", "bestuurlijk")
    assert "opgeschaald" in await regisseur.ask("ja")
    await assert_consistent(app, "escalated")
    for told in (agent, wijkteam):
        await told.expect(f"Casus {number} is opgeschaald")

    await regisseur.ask(f"casus {number}", "overdragen aan een collega-procesregisseur", "Ruben Regisseur")
    assert "overgedragen aan Ruben Regisseur" in await regisseur.ask("ja")
    await assert_consistent(app, "to a colleague")
    await colleague.expect(f"Casus {number} is aan u toegewezen")

    await colleague.ask(f"casus {number}", "afschalen", "Wijkteam Amersfoort-Noord", "Willem Wijkteam")
    first = await colleague.ask("per actie kiezen")
    assert "#1 Huisbezoek afleggen" in first
    assert "#2 Schuldhulp regelen" in await colleague.ask("overdragen aan de nieuwe casusregisseur")
    summary = await colleague.ask("laten bij de huidige actiehouder")
    assert "#1 overdragen aan de nieuwe casusregisseur, #2 laten bij de huidige actiehouder" in summary
    assert "overgedragen aan Willem Wijkteam" in await colleague.ask("ja")
    await assert_consistent(app, "handed over")
    await wijkteam.expect(f"U hebt nu de casusregie van casus {number}")
    await agent.expect(f"Casus {number} is afgeschaald")

    await colleague.ask(f"casus {number}", "afsluiten", "doel bereikt")
    assert "afgesloten (doel bereikt)" in await colleague.ask("ja")
    await assert_consistent(app, "closed")
    await agent.expect(f"Casus {number} is afgesloten, reden: doel bereikt. Dank")
    await wijkteam.expect(f"Casus {number} is afgesloten. Wat er voor u nog open stond, is vervallen")
    assert "geen open acties" in (await agent.ask("acties")).lower()
    assert number not in await wijkteam.ask("acties")
