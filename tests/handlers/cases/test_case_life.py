"""A whole case life through the terminal, with the invariant checked after every step: a case's views,
reminders and queued notices agree with its state, and everyone concerned is told of each step once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from handlers.cases.lifecycle import CLOSING_NOTICES
from handlers.dates.clock import FixedClock
from handlers.reminders import ACTION_REMINDERS, MEETING_REMINDER
from storage import actions, audit, cases, outbox
from storage.models import Action, ActionStatus, Case, CaseState, OutboxStatus, PendingMessage, Professional
from tests.bot.test_delivery import ScriptedSender, deliver_all
from tests.conftest import Chat
from tests.test_scenario import refer_a_case

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
                assert {row.kind for row in pending} <= set(CLOSING_NOTICES), (
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


async def test_a_whole_case_life_stays_consistent_and_tells_everyone_concerned(
    chat: Chat, clock: FixedClock
) -> None:
    app = chat.app
    number = await refer_a_case(chat)
    await assert_consistent(app, "referred")
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await assert_consistent(app, "accepted")
    plan = [
        *("Huisbezoek afleggen", "agent", "vrijdag 4 december 14:00", "ja", "ja"),
        *("Schuldhulp regelen", "ggz", "vrijdag 11 december", "ja", "ja"),
        *("Buurtoverleg", "Wijkteam Amersfoort-Noord", "vrijdag 18 december", "ja", "nee"),
        *("15 december 10:00", "ja", "ja"),
    ]
    assert "3 acties" in await chat("regisseur", f"plan {number}", *plan)
    await assert_consistent(app, "planned")

    # The holder postpones: the same or an earlier date is refused, a later one accepted.
    refused = await chat("agent", "acties", "1", "uitstel tot vrijdag 4 december 14:00", "ja")
    assert "Uitstel moet na de huidige deadline liggen" in refused
    assert "vrijdag 11 december 2026" in await chat("agent", "vrijdag 11 december")
    assert "schuiven mee" in await chat("agent", "ja")
    await assert_consistent(app, "postponed")

    # The procesregisseur reassigns one action and cancels another; a participant joins.
    await chat("regisseur", f"wijzig {number} #2", "andere actiehouder", "reclassering")
    assert "nieuwe actiehouder" in await chat("regisseur", "ja")
    await assert_consistent(app, "reassigned")
    assert await told(app, "action_reassigned_away") == ["ggz"]
    await chat("regisseur", f"wijzig {number} #3", "annuleren", "Het buurtoverleg is niet meer nodig")
    assert "geannuleerd" in await chat("regisseur", "ja")
    await assert_consistent(app, "cancelled")
    assert await told(app, "action_cancelled") == ["wijkteam"]
    assert "neemt nu deel" in await chat("regisseur", f"deelnemers {number}", "iemand toevoegen", "ggz")
    assert await told(app, "participant_added") == ["ggz"]

    await chat(
        "regisseur", f"casus {number}", "opschalen", "Afspraken worden niet nagekomen", "bestuurlijk", "ja"
    )
    await assert_consistent(app, "escalated")
    assert await told(app, "case_escalated_manager") == ["manager"]
    # Holders of open actions and participants; the wijkteam's one action was cancelled, so it is not told.
    assert await told(app, "case_escalated") == ["agent", "ggz", "reclassering"]

    # A colleague takes the case over: from now on only they direct it.
    await chat(
        "regisseur", f"casus {number}", "overdragen aan een collega-procesregisseur", "Ruben Regisseur"
    )
    assert "overgedragen aan Ruben Regisseur" in await chat("regisseur", "ja")
    await assert_consistent(app, "to a colleague")
    assert "regisseur2" in await told(app, "case_assigned")
    assert "Ik kan geen casus" in await chat("regisseur", f"casus {number}")

    handover = await chat("regisseur2", f"casus {number}", "afschalen", "Woonstichting Voorbeeld")
    assert "niemand die via de bot bereikbaar is" in handover  # nobody there could take casusregie
    first = await chat("regisseur2", "Wijkteam Amersfoort-Noord", "Willem Wijkteam", "per actie kiezen")
    assert f"{number} #1: Huisbezoek afleggen | Anna Agent" in first
    second = await chat("regisseur2", "overdragen aan de nieuwe casusregisseur")
    assert f"{number} #2: Schuldhulp regelen | Rik Reclassering" in second
    summary = await chat("regisseur2", "laten bij de huidige actiehouder")
    assert "#1 overdragen aan de nieuwe casusregisseur, #2 laten bij de huidige actiehouder" in summary
    assert "overgedragen aan Willem Wijkteam" in await chat("regisseur2", "ja")
    await assert_consistent(app, "handed over")
    assert await told(app, "case_handed_over") == ["wijkteam"]
    assert "Huisbezoek afleggen" in await chat("wijkteam", "acties")
    assert "Schuldhulp regelen" in await chat("reclassering", "acties")
    assert "Huisbezoek afleggen" not in await chat("agent", "acties")

    closing = await chat("regisseur2", f"casus {number}", "afsluiten", "niet meer nodig")
    assert "Open acties (2) worden geannuleerd" in closing
    assert "afgesloten (niet meer nodig)" in await chat("regisseur2", "ja")
    await assert_consistent(app, "closed")
    assert await told(app, "case_closed") == ["agent"]  # the melder hears the outcome
    assert await told(app, "case_closed_team") == ["ggz", "reclassering", "wijkteam"]

    # Every view agrees: nothing of the case is listed, counted or reminded anywhere.
    assert "geen open acties" in (await chat("agent", "acties")).lower()
    assert "0 open acties" not in await chat("wijkteam", "acties")
    counts = await chat("manager", "status")
    assert "over de deadline: 0" in counts.lower()
    melder_view = await chat("agent", f"status {number}")
    assert "gegevens" not in melder_view and "Bericht van de procesregisseur" not in melder_view
    clock.advance(timedelta(days=30))
    sender = ScriptedSender("recording")
    await deliver_all(app, [sender])
    kinds_sent = {text.split(" ")[0] for _, text in sender.delivered}
    assert all("afgesloten" in text or "Actie" not in text for _, text in sender.delivered), kinds_sent
    async with app.sessions() as session:
        items = (await session.scalars(select(Action).order_by(Action.seq))).all()
    assert [a.status for a in items] == [ActionStatus.CANCELLED] * 3
    async with app.sessions() as session:
        audited = await audit.entries_for_case(session, number)
    assert {"case.director.handover", "action.reassign", "action.cancel"} <= {
        entry.event for entry in audited
    }


async def test_a_notice_queued_about_a_case_after_it_closed_is_dropped_when_it_falls_due(chat: Chat) -> None:
    """Another process may queue one in the moment of closing (an update posted just then): it is not sent."""
    app = chat.app
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"casus {number}", "afsluiten", "doel bereikt", "ja")
    async with app.sessions() as session, session.begin():
        director = (
            await session.scalars(select(Professional).where(Professional.handle == "regisseur"))
        ).one()
        late = await outbox.enqueue(
            session,
            recipient_id=director.id,
            kind="feedback",
            params={"case": number},
            case_number=number,
            scheduled_at=app.now(),
            now=app.now(),
        )
    sender = ScriptedSender("recording")
    await deliver_all(app, [sender])
    assert [text for _, text in sender.delivered if "afgesloten" not in text] == []
    async with app.sessions() as session:
        row = await session.get(PendingMessage, late.id)
    assert row is not None and row.status is OutboxStatus.CANCELLED


async def test_a_new_referral_notice_is_dropped_once_a_colleague_took_the_referral_up(chat: Chat) -> None:
    number = await refer_a_case(chat)
    sender = ScriptedSender("recording")
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await deliver_all(chat.app, [sender])
    assert not any(f"Nieuwe aanmelding {number}" in text for _, text in sender.delivered)
    assert any(to == "agent" and "geaccepteerd" in text for to, text in sender.delivered)
