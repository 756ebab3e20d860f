"""Whole conversations through the terminal channel, as separate professionals, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from handlers.dates.clock import FixedClock
from storage import audit, cases
from storage.models import Action, ActionStatus, CaseState, PendingMessage, Professional
from tests.conftest import Chat, Says
from tests.scripts import FITS, check_script, referral_after_check

CHECK_THAT_FITS = check_script()
REFERRAL_REST = referral_after_check()
# After 'plan NUMBER': one action for the agent (deadline Friday 4 December 14:00), the next overleg on 15 December.
PLAN_ONE_ACTION = [
    "Huisbezoek afleggen",
    "agent",
    "vrijdag 4 december 14:00",
    "ja",
    "nee",
    "15 december 10:00",
    "ja",
    "ja",
]


async def pending(app: App, kind: str) -> list[tuple[str, str | None]]:
    """(recipient handle, case number) of queued proactive messages of one kind."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(Professional.handle, PendingMessage.case_number)
            .join(Professional, Professional.id == PendingMessage.recipient_id)
            .where(PendingMessage.kind == kind)
            .order_by(Professional.handle)
        )
        return [(handle, number) for handle, number in rows.all()]


async def refer_a_case(chat: Says) -> str:
    await chat("agent", *CHECK_THAT_FITS)
    reply = await chat("agent", "ja", *REFERRAL_REST)
    registered = re.search(r"casusnummer (VH-\d{4}-\d{4})", reply)
    assert registered is not None, reply
    return registered.group(1)


async def test_check_flows_into_a_referral_that_lands_with_the_procesregisseurs(chat: Chat) -> None:
    outcome = await chat("agent", *CHECK_THAT_FITS)
    assert outcome.startswith("Uitkomst: past waarschijnlijk")
    assert "het Zorg- en Veiligheidshuis beslist na screening" in outcome
    summary = await chat("agent", "ja", *REFERRAL_REST[:-1])
    assert "Leefgebieden: wonen, financiën / schulden, psychisch" in summary  # carried over from the check
    assert "Ketens: zorg, straf" in summary
    registered = await chat("agent", "ja")
    assert "casusnummer VH-2026-0001" in registered
    assert await pending(chat.app, "new_referral") == [
        ("regisseur", "VH-2026-0001"),
        ("regisseur2", "VH-2026-0001"),
    ]
    async with chat.app.sessions() as session:
        case = await cases.by_number(session, "VH-2026-0001")
        assert case is not None and case.state is CaseState.INGEDIEND and case.check_outcome == "fits"
        history = await cases.transitions(session, case.id)
        assert [(t.from_state, t.to_state) for t in history] == [(None, CaseState.INGEDIEND)]


async def test_an_outcome_says_where_to_go_before_why(chat: Chat) -> None:
    one_chain = {**FITS, "ketens": "zorg", "dwang_drang": "nee", "vastgelopen": "nee"}
    outcome = await chat("agent", *check_script(one_chain))
    assert outcome.startswith("Uitkomst: past waarschijnlijk niet")
    assert outcome.index("Waar kunt u beter terecht:") < outcome.index("Waarom:")
    assert outcome.count("\n- ") - outcome.split("Waarom:")[1].count("\n- ") >= 1  # a place to go, listed
    assert outcome.split("Waarom:")[1].split("\n\n")[0].count("\n- ") <= 3  # at most three reasons


async def test_acute_danger_stops_the_check_with_112(chat: Chat) -> None:
    reply = await chat("ggz", "check", "ja")
    assert "Bel nu 112 (Alarmnummer)" in reply and reply.count("112") == 1
    assert "Dat begrijp ik niet" in await chat("ggz", "nee")  # the dialogue is over


async def test_the_whole_process_from_referral_to_status(chat: Chat, clock: FixedClock) -> None:
    number = await refer_a_case(chat)

    queue = await chat("regisseur", "intake")
    assert "Nieuwe aanmeldingen (1)" in queue and number in queue
    review = await chat("regisseur", "1")
    assert "Doel van de melder: Hulpverlening stagneert" in review
    assert "in screening" in review
    assert "geaccepteerd" in await chat("regisseur", "accepteren", "Petra Regisseur")
    assert await pending(chat.app, "referral_accepted") == [("agent", number)]
    assert "Uw aanmelding VH-2026-0001: geaccepteerd" in await chat("agent", f"status {number.lower()}")

    await chat("regisseur", f"plan {number}", "Huisbezoek afleggen", "agent")
    confirm = await chat("regisseur", "volgende week vrijdag 14:00")
    assert "vrijdag 4 december 2026, 14:00" in confirm
    await chat(
        "regisseur", "ja", "ja", "Schuldhulp opstarten", "Wijkteam Amersfoort-Noord", "over twee weken", "ja"
    )
    meeting = await chat("regisseur", "nee", "15 december 10:00")
    assert "dinsdag 15 december 2026, 10:00" in meeting
    recorded = await chat("regisseur", "ja", "ja")
    assert "vastgelegd (2 acties)" in recorded
    assert await pending(chat.app, "action_assigned") == [("agent", number), ("wijkteam", number)]

    listed = await chat("wijkteam", f"acties {number}")
    assert "Huisbezoek afleggen" in listed and "Volgend overleg: di 15 dec 10:00" in listed  # as the actions
    assert number not in listed.split("\n", 1)[1]  # the case's own list does not repeat its number
    assert "Hulpverlening stagneert" not in listed  # deelnemers see the action list only

    mine = await chat("agent", "acties")
    assert "Uw open acties (1)" in mine
    assert "staat op gedaan" in await chat("agent", "1", "gedaan")
    assert await pending(chat.app, "action_done") == [("regisseur", number)]

    await chat("wijkteam", "terugkoppeling", "1", "1")
    sent = await chat("wijkteam", "Aanmelding schuldhulp loopt, wachtlijst van drie weken", "ja")
    assert "zorgsignaal" in sent.lower()
    async with chat.app.sessions() as session:
        urgent = (
            await session.execute(select(PendingMessage).where(PendingMessage.kind == "zorgsignaal"))
        ).scalar_one()
        assert urgent.urgent and urgent.params == {"case": number}

    clock.advance(timedelta(days=20))
    status = await chat("regisseur", f"status {number}")
    assert "in uitvoering" in status and "Ongelezen terugkoppelingen: 1" in status
    assert "#2 Schuldhulp opstarten" in status and "TE LAAT" in status
    overdue = await chat("regisseur", "status achterstallig")
    assert "(1)" in overdue and "Schuldhulp opstarten" in overdue
    updates = await chat("regisseur", f"updates {number}")
    assert "ZORGSIGNAAL" in updates and "wachtlijst van drie weken" in updates
    assert "1 terugkoppeling gemarkeerd als gelezen" in await chat("regisseur", "ja")
    assert "Ongelezen terugkoppelingen: 0" in await chat("regisseur", f"status {number}")

    async with chat.app.sessions() as session:
        events = [entry.event for entry in await audit.entries_for_case(session, number)]
        actions = (await session.execute(select(Action).order_by(Action.seq))).scalars().all()
    assert {
        "case.create",
        "case.view",
        "case.state.geaccepteerd",
        "plan.record",
        "action.done",
        "feedback.create",
        "feedback.read",
    } <= set(events)
    assert [a.status for a in actions] == [ActionStatus.DONE, ActionStatus.OPEN]


async def test_redirect_with_advice_reaches_the_melder(chat: Chat) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur2", f"beoordeel {number}", "doorverwijzen", "wijkteam")
    asked = await chat("regisseur2", "Past beter bij het wijkteam, graag daar aanmelden")
    assert (
        "doorverwijzen naar wijkteam / gebiedsteam, met dit advies aan de melder?" in asked
    )  # confirmed first
    assert "Niets verstuurd" in await chat("regisseur2", "nee")
    assert await pending(chat.app, "referral_redirected") == []
    await chat("regisseur2", f"beoordeel {number}", "doorverwijzen", "wijkteam")
    await chat("regisseur2", "Past beter bij het wijkteam, graag daar aanmelden")
    assert "doorverwezen" in await chat("regisseur2", "ja")
    view = await chat("agent", f"status {number}")
    assert "advies gegeven" in view and "Past beter bij het wijkteam" in view
    assert await pending(chat.app, "referral_redirected") == [("agent", number)]


async def test_the_melder_answers_a_question_the_way_its_notice_and_status_say(chat: Chat) -> None:
    """The notice and the status say 'antwoord VH-…': that shows the question and takes the answer."""
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "vraag stellen", "Is de huisarts al betrokken?", "ja")
    status = await chat("agent", f"status {number}")
    assert "Is de huisarts al betrokken?" in status and f"typ 'antwoord {number}'" in status
    asked = await chat("agent", f"antwoord {number}")
    assert "Is de huisarts al betrokken?" in asked and "Typ uw terugkoppeling" in asked
    await chat("agent", "Ja, de huisarts weet ervan", "nee")
    assert "de huisarts weet ervan" in await chat("regisseur", f"updates {number}")


async def test_a_question_to_the_melder_is_answered_by_feedback(chat: Chat) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "vraag stellen")
    assert "aan de melder sturen?" in await chat("regisseur", "Welke partners zijn al betrokken?")
    await chat("regisseur", "ja")
    assert "Welke partners zijn al betrokken?" in await chat("agent", f"status {number}")
    await chat("agent", f"terugkoppeling {number}", "GGZ en wijkteam zijn betrokken", "nee")
    updates = await chat("regisseur", f"updates {number}")
    assert "GGZ en wijkteam zijn betrokken" in updates


async def test_case_walks_the_process_states_and_every_move_is_recorded(chat: Chat) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "1")
    await chat("regisseur", f"casus {number}", "casusoverleg plannen", "volgende week dinsdag 10:00", "ja")
    escalating = await chat("regisseur", f"casus {number}", "opschalen", "Partners komen afspraken niet na")
    assert "Naar wie schaalt u op?" in escalating
    assert "opschalen naar de ketenmanager?" in await chat("regisseur", "ketenmanager")
    assert "opgeschaald naar de ketenmanager" in await chat("regisseur", "ja")
    await chat("regisseur", f"casus {number}", "afschalen", "Wijkteam Amersfoort-Noord")
    assert "overdragen aan Willem Wijkteam?" in await chat("regisseur", "Willem Wijkteam")
    assert "overgedragen aan Willem Wijkteam" in await chat("regisseur", "ja")
    closing = await chat("regisseur", f"casus {number}", "afsluiten", "doel bereikt")
    assert f"Casus {number} afsluiten, reden: doel bereikt?" in closing
    assert "afgesloten (doel bereikt)" in await chat("regisseur", "ja")
    async with chat.app.sessions() as session:
        case = await cases.by_number(session, number)
        assert case is not None
        history = await cases.transitions(session, case.id)
    assert [(t.to_state.value, t.reason) for t in history] == [
        ("ingediend", None),
        ("screening", None),
        ("geaccepteerd", None),
        ("casusoverleg_gepland", None),
        ("opgeschaald", "ketenmanager"),
        ("afgeschaald", "afgeschaald"),
        ("afgesloten", "doel_bereikt"),
    ]
    assert history[4].note == "Partners komen afspraken niet na"
    assert history[5].note == "Wijkteam Amersfoort-Noord"
    assert case.closed_at is not None
    # A closed case can be reopened or kept longer: the menu shows those two options, numbered as shown.
    menu = await chat("regisseur", f"casus {number}")
    assert menu.endswith("Wat wilt u doen?\n  1. heropenen\n  2. bewaartermijn verlengen")
    assert "heropend" in await chat("regisseur", "1", "ja")


async def test_the_case_menu_is_numbered_as_shown_and_says_each_handover_apart(chat: Chat) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    menu = await chat("regisseur", f"casus {number}")
    options = re.findall(r"^\s+(\d+)\. (.+)$", menu, flags=re.MULTILINE)
    assert [int(shown) for shown, _ in options] == list(range(1, len(options) + 1)), menu
    assert len(options) >= 4 and sum("overdragen" in label for _, label in options) == 1, menu
    picked = dict(options)[str(len(options))]  # the last one shown is answered by its own number
    assert picked == "overdragen aan een collega-procesregisseur"
    assert "Aan welke collega" in await chat("regisseur", str(len(options)))


async def test_a_holder_is_named_by_a_part_of_a_name_and_picked_from_a_list_when_several_fit(
    chat: Chat,
) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    prompt = await chat("regisseur", f"plan {number}", "Huisbezoek afleggen")
    assert "handle" not in prompt and "naam van een persoon" in prompt
    assert "ken ik niet" in await chat("regisseur", "Xantippe")
    several = await chat("regisseur", "regis")  # a part of two names
    listed = {label: shown for shown, label in re.findall(r"^\s+(\d+)\. (.+)$", several, flags=re.MULTILINE)}
    assert "meer dan één" in several and len(listed) == 2, several
    ruben = next(shown for label, shown in listed.items() if label.startswith("Ruben Regisseur"))
    await chat("regisseur", ruben, *PLAN_ONE_ACTION[2:])
    async with chat.app.sessions() as session:
        held = await session.scalar(
            select(Professional.handle).join(Action, Action.holder_id == Professional.id)
        )
    assert held == "regisseur2"
    # One name that fits one person is taken at once, whatever its case.
    await chat("regisseur", f"wijzig {number} #1", "andere actiehouder")
    assert "Willem Wijkteam" in await chat("regisseur", "willem")


async def test_an_organisation_is_named_by_a_part_of_its_name_at_afschalen(chat: Chat) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"casus {number}", "casusoverleg plannen", "volgende week dinsdag 10:00", "ja")
    await chat(
        "regisseur", f"casus {number}", "opschalen", "Partners komen afspraken niet na", "ketenmanager", "ja"
    )
    await chat("regisseur", f"casus {number}", "afschalen")
    assert "Wie neemt bij Wijkteam Amersfoort-Noord" in await chat("regisseur", "wijkteam")  # one fits
    await chat("regisseur", "stop")
    await chat("regisseur", f"casus {number}", "afschalen")
    several = await chat("regisseur", "voorbeeld")  # four organisations hold it
    assert "meer dan één organisatie" in several and "GGZ Voorbeeld" in several and "Woonstichting" in several
    assert "ken ik niet" in await chat("regisseur", "Xyzzy")
    assert "Wie neemt bij GGZ Voorbeeld" in await chat("regisseur", "voorbeeld", "ggz")


async def test_an_empty_list_says_so_in_a_sentence_not_under_a_bare_colon(chat: Chat) -> None:
    assert "U regisseert geen open casussen." in await chat("regisseur", "status mijn")
    assert "(0):" not in await chat("regisseur", "status nieuw")
    assert "Er staan geen acties over de deadline" in await chat("regisseur2", "status achterstallig")


async def test_english_speakers_get_english(chat: Chat) -> None:
    assert "speak English" in await chat("ggz", "language en")
    help_text = await chat("ggz", "help")
    assert "What I can do" in help_text
    assert "Is anyone in acute danger right now?" in await chat("ggz", "check")
