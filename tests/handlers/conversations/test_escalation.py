"""The ketenmanager acts on an escalation in chat (issue 34, principle 1): the notice's suggestion shows why the
case was escalated, who directs it and which organisations hold what is open, never its content; they answer
the procesregisseur or take it up, audited; before and after the escalation the case stays hidden from them."""

from __future__ import annotations

from datetime import timedelta

from handlers.dates.clock import FixedClock
from storage import audit, people
from storage.models import Role
from tests.case_life import told
from tests.conftest import Chat
from tests.test_scenario import refer_a_case

WHY = "Partners komen afspraken niet na"


async def second_ketenmanager(chat: Chat, clock: FixedClock) -> None:
    async with chat.app.sessions() as session, session.begin():
        organisation = await people.organisation_named(session, "Zorg- en Veiligheidshuis Voorbeeldregio")
        assert organisation is not None
        await people.add_professional(
            session,
            handle="manager2",
            name="Karel Ketenmanager",
            organisation=organisation,
            role=Role.KETENMANAGER,
            now=clock.now(),
        )


async def escalated_case(chat: Chat, clock: FixedClock) -> str:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat(
        "regisseur",
        f"plan {number}",
        *("Huisbezoek afleggen", "agent", "vrijdag 4 december 14:00", "ja", "ja"),
        *("Schuldhulp regelen", "ggz", "vrijdag 18 december", "ja", "ja"),
        *("Dagbesteding zoeken", "GGZ Voorbeeld", "vrijdag 18 december", "ja", "nee"),
        *("geen", "ja"),
    )
    clock.advance(timedelta(days=12))  # the agent's action is past its deadline, GGZ's two are not
    await chat("regisseur", f"casus {number}", "opschalen", WHY, "ketenmanager", "ja")
    return number


async def test_the_notice_leads_the_ketenmanager_to_why_and_where_it_is_stuck(
    chat: Chat, clock: FixedClock
) -> None:
    number = await escalated_case(chat, clock)
    assert await told(chat.app, "case_escalated_manager") == ["manager"]
    notice = chat.app.texts.text("nl", "notice.case_escalated_manager", case=number, target="x")
    suggested = notice.split("Typ '")[1].split("'")[0]
    view = await chat("manager", suggested)
    assert f"Opschaling van casus {number}" in view and "naar de ketenmanager" in view
    assert f"Waarom: {WHY}" in view and "Casusregie: Petra Regisseur" in view
    assert "Politie Eenheid Voorbeeld: 1 open actie, waarvan 1 over de deadline" in view
    assert "GGZ Voorbeeld: 2 open acties" in view and "GGZ Voorbeeld: 2 open acties," not in view
    for content in ("Doel", "Huisbezoek", "Leefgebieden", "Gemeente"):  # the case's content stays hidden
        assert content not in view, content
    assert "oppakken" in view
    # 'status VH-…', as people type for any case, shows the same.
    assert f"Opschaling van casus {number}" in await chat("manager", "stop", f"status {number}")


async def test_the_ketenmanager_answers_the_procesregisseur_or_takes_it_up_audited(
    chat: Chat, clock: FixedClock
) -> None:
    await second_ketenmanager(chat, clock)
    number = await escalated_case(chat, clock)
    assert await told(chat.app, "case_escalated_manager") == ["manager", "manager2"]
    await chat("manager", f"opschaling {number}", "reageren aan de procesregisseur")
    assert "doorgegeven aan de procesregisseur" in await chat("manager", "Ik bel de directeur van GGZ morgen")
    assert await told(chat.app, "feedback") == ["regisseur"]
    assert "Ik bel de directeur van GGZ morgen" in await chat("regisseur", f"updates {number}")

    assert "U pakt de opschaling" in await chat("manager2", f"opschaling {number}", "oppakken")
    assert await told(chat.app, "escalation_taken_up") == ["manager", "regisseur"]
    again = await chat("manager", f"opschaling {number}")
    assert "Opgepakt door Karel Ketenmanager" in again and "oppakken" not in again
    async with chat.app.sessions() as session:
        entries = await audit.entries_for_case(session, number)
        managers = {(await people.professional_by_handle(session, h)).id: h for h in ("manager", "manager2")}  # type: ignore[union-attr]
    viewers = {managers.get(e.actor_id or 0) for e in entries if e.event == "case.escalation.view"}
    took = [managers.get(e.actor_id or 0) for e in entries if e.event == "case.escalation.take_up"]
    assert viewers == {"manager", "manager2"} and took == ["manager2"]


async def test_a_case_not_escalated_is_hidden_from_the_ketenmanager_as_if_unknown(
    chat: Chat, clock: FixedClock
) -> None:
    number = await refer_a_case(chat)
    unknown = "VH-2026-0999"
    hidden = await chat("manager", f"opschaling {number}")
    assert hidden == (await chat("manager", f"opschaling {unknown}")).replace(unknown, number)
    assert "Er is nu geen casus opgeschaald." in await chat("manager", "opschaling")
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"casus {number}", "casusoverleg plannen", "volgende week dinsdag 10:00", "ja")
    await chat("regisseur", f"casus {number}", "opschalen", WHY, "bestuurlijk", "ja")
    listed = await chat("manager", "opschaling")
    assert number in listed
    assert f"Opschaling van casus {number}" in await chat("manager", "1")
    await chat("regisseur", f"casus {number}", "afschalen", "Wijkteam", "Willem Wijkteam", "ja")
    assert "Ik kan geen casus" in await chat("manager", "stop", f"opschaling {number}")
    refused = await chat("agent", f"opschaling {number}")  # a melder may not read an escalation at all
    assert refused == chat.app.texts.text("nl", "common.manager_only")
