"""A whole case life through the terminal, with the invariant checked after every step: a case's views,
reminders and queued notices agree with its state, and everyone concerned is told of each step once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from handlers.dates.clock import FixedClock
from storage import audit, outbox
from storage.models import Action, ActionStatus, OutboxStatus, PendingMessage, Professional
from tests.bot.test_delivery import ScriptedSender, deliver_all
from tests.case_life import CASE_LIFE_PEOPLE, Client, assert_consistent, live_a_case, told
from tests.conftest import Chat
from tests.test_scenario import refer_a_case


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
    refused = await chat("agent", "acties", "1", "uitstel tot vrijdag 4 december 14:00")
    assert "Uitstel moet na de huidige deadline liggen" in refused and "Klopt dat" not in refused
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
    assert "neemt nu deel" in await chat("regisseur", f"deelnemers {number}", "iemand toevoegen", "ggz", "ja")
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
    history = (await chat("regisseur2", f"status {number}")).split("Verloop (laatste stappen):")[1]
    assert "in uitvoering · Petra Regisseur" in history  # the new procesregisseur sees how it got here
    assert "opgeschaald · Petra Regisseur — bestuurlijk (burgemeester, driehoek); Afspraken worden" in history

    handover = await chat("regisseur2", f"casus {number}", "afschalen", "Woonstichting Voorbeeld")
    assert "niemand die via de bot bereikbaar is" in handover  # nobody there could take casusregie
    first = await chat("regisseur2", "Wijkteam Amersfoort-Noord", "Willem Wijkteam", "per actie kiezen")
    assert "#1 Huisbezoek afleggen — Anna Agent" in first
    second = await chat("regisseur2", "overdragen aan de nieuwe casusregisseur")
    assert "#2 Schuldhulp regelen — Rik Reclassering" in second
    summary = await chat("regisseur2", "laten bij de huidige actiehouder")
    assert "#1 overdragen aan de nieuwe casusregisseur, #2 laten bij de huidige actiehouder" in summary
    assert "overgedragen aan Willem Wijkteam" in await chat("regisseur2", "ja")
    await assert_consistent(app, "handed over")
    assert await told(app, "case_handed_over") == ["wijkteam"]
    assert "Huisbezoek afleggen" in await chat("wijkteam", "acties")
    assert "Schuldhulp regelen" in await chat("reclassering", "acties")
    assert "Huisbezoek afleggen" not in await chat("agent", "acties")

    picked = await chat("wijkteam", "acties", "1")  # the holder has one open, about to answer for it
    assert "gedaan" in picked
    # Each holder heard what became of their own action at the afschalen, besides that the case moved.
    assert await told(app, "action_reassigned_away") == ["agent", "ggz"]  # #1 now, #2 at the reassignment
    closing = await chat("regisseur2", f"casus {number}", "afsluiten", "niet meer nodig")
    # The action kept with its holder at the afschalen is named before closing cancels it.
    assert "Deze 2 open acties worden dan geannuleerd" in closing
    assert "#1 Huisbezoek afleggen — Willem Wijkteam" in closing
    assert "#2 Schuldhulp regelen — Rik Reclassering" in closing
    assert "afgesloten (niet meer nodig)" in await chat("regisseur2", "ja")
    await assert_consistent(app, "closed")
    assert await told(app, "case_closed_because") == ["agent"]  # the melder hears the outcome, and why
    assert await told(app, "case_closed_team") == ["ggz", "reclassering", "wijkteam"]

    # Every view agrees: nothing of the case is listed, counted or reminded anywhere.
    assert "geen open acties" in (await chat("agent", "acties")).lower()
    # Nothing of a closed case can be read or written by those who held its actions (issue 19 §2).
    assert "niet (meer) open" in await chat("wijkteam", "gedaan")  # the answer begun before the closing
    for holder in ("wijkteam", "reclassering"):
        assert "Ik kan geen casus" in await chat(holder, f"acties {number}")
        assert "Ik kan geen casus" in await chat(holder, f"terugkoppeling {number}")
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


async def test_the_case_life_the_real_clients_play_holds_in_the_terminal(chat: Chat) -> None:
    """The script the Matrix and Teams clients play, checked here first (cheaply, on both backends)."""
    sender = ScriptedSender("recording")

    def client(handle: str) -> Client:
        async def ask(*texts: str) -> str:
            return await chat(handle, *texts)

        async def expect(fragment: str) -> None:
            await deliver_all(chat.app, [sender])
            assert any(to == handle and fragment in text for to, text in sender.delivered), (handle, fragment)

        return Client(ask, expect)

    number = await refer_a_case(chat)
    await live_a_case(chat.app, number, {handle: client(handle) for handle in CASE_LIFE_PEOPLE})
