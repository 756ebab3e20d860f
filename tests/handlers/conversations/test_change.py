"""The procesregisseur changes actions: description, a later deadline with a reason, another holder, cancelling
with a reason, done on the holder's behalf; the holders hear of it, the reminders follow, nobody else can."""

from __future__ import annotations

from sqlalchemy import select

from storage import audit
from storage.models import Action, ActionStatus, Professional
from tests.case_life import assert_consistent, told
from tests.conftest import Chat, Says
from tests.test_reminders import planned
from tests.test_scenario import refer_a_case

HOLDER_REMINDERS = ("action_due_soon", "action_due_today", "action_overdue")


async def two_actions(chat: Says) -> str:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat(
        "regisseur",
        f"plan {number}",
        *("Huisbezoek afleggen", "agent", "vrijdag 11 december 14:00", "ja", "ja"),
        *("Schuldhulp regelen", "ggz", "vrijdag 18 december", "ja", "nee"),
        *("geen", "ja"),
    )
    return number


async def action(chat: Chat, seq: int) -> Action:
    async with chat.app.sessions() as session:
        return (await session.scalars(select(Action).where(Action.seq == seq))).one()


async def test_the_description_changes_after_confirmation_and_the_holder_hears(chat: Chat) -> None:
    number = await two_actions(chat)
    menu = await chat("regisseur", f"wijzig {number} #1")
    assert "1. omschrijving wijzigen" in menu and "5. afmelden als gedaan" in menu
    await chat("regisseur", "1", "Huisbezoek met wijkagent")
    assert f"De omschrijving van actie {number} #1 is gewijzigd" in await chat("regisseur", "ja")
    assert (await action(chat, 1)).description == "Huisbezoek met wijkagent"
    assert "Huisbezoek met wijkagent" in await chat("agent", "acties")
    assert await told(chat.app, "action_changed") == ["agent"]


async def test_a_new_description_at_its_confirmation_is_the_correction(chat: Chat) -> None:
    number = await two_actions(chat)
    await chat("regisseur", f"wijzig {number} #1", "1", "Huisbezoek met wijkagnet")
    corrected = await chat("regisseur", "Huisbezoek met wijkagent")  # a slip seen at 'Klopt dat?'
    assert "wordt: Huisbezoek met wijkagent. Klopt dat" in corrected
    assert "gewijzigd" in await chat("regisseur", "ja")
    assert (await action(chat, 1)).description == "Huisbezoek met wijkagent"
    assert "Klopt dat" in await chat("regisseur", f"wijzig {number} #2", "1", "Schuldhulp")
    assert "wordt:" not in await chat("regisseur", "neee")  # 'nee' with emphasis is no new description
    assert (await action(chat, 2)).description == "Schuldhulp regelen"


async def test_a_deadline_only_moves_later_with_a_reason_and_the_reminders_follow(chat: Chat) -> None:
    number = await two_actions(chat)
    refused = await chat("regisseur", f"wijzig {number} #1", "deadline verzetten", "vrijdag 4 december")
    assert "moet na de huidige liggen" in refused and "Klopt dat" not in refused  # refused as read
    await chat("regisseur", "vrijdag 8 januari 2027 14:00", "ja")
    assert "vrijdag 8 januari 2027" in await chat("regisseur", "Wacht op gesprek met de partner")
    moved = await action(chat, 1)
    assert moved.note == "Wacht op gesprek met de partner" and moved.deadline.year == 2027
    soon = await planned(chat.app, "action_due_soon")
    assert ("action_due_soon", "agent", "Wed 06 Jan 2027 09:00") in soon
    assert all(not (handle == "agent" and "Dec" in when) for _, handle, when in soon)
    assert await told(chat.app, "action_deadline_changed") == ["agent"]
    await assert_consistent(chat.app, "deadline moved")


async def test_another_holder_must_be_able_to_hold_it_and_both_holders_hear(chat: Chat) -> None:
    number = await two_actions(chat)
    await chat("regisseur", f"wijzig {number} #1", "andere actiehouder")
    assert "kan geen actie houden" in await chat("regisseur", "manager")  # the ketenmanager sees figures only
    assert "niemand die via de bot een actie kan ontvangen" in await chat(
        "regisseur", "Woonstichting Voorbeeld"
    )
    assert "overdragen aan Rik Reclassering" in await chat("regisseur", "reclassering")
    assert "nieuwe actiehouder" in await chat("regisseur", "ja")
    assert "Huisbezoek" not in await chat("agent", "acties")
    assert "Huisbezoek" in await chat("reclassering", "acties")
    assert await told(chat.app, "action_reassigned_away") == ["agent"]
    assert "reclassering" in await told(chat.app, "action_assigned")
    holders = {handle for kind, handle, _ in await planned(chat.app, *HOLDER_REMINDERS)}
    assert "reclassering" in holders and "agent" not in holders
    await assert_consistent(chat.app, "reassigned")


async def test_cancelling_takes_a_reason_and_ends_its_reminders(chat: Chat) -> None:
    number = await two_actions(chat)
    await chat("regisseur", f"wijzig {number} #2", "4", "Schuldhulp loopt al via de gemeente")
    assert "geannuleerd" in await chat("regisseur", "ja")
    cancelled = await action(chat, 2)
    assert (
        cancelled.status is ActionStatus.CANCELLED and cancelled.note == "Schuldhulp loopt al via de gemeente"
    )
    assert all(handle != "ggz" for _, handle, _ in await planned(chat.app, *HOLDER_REMINDERS))
    assert await told(chat.app, "action_cancelled") == ["ggz"]
    assert "geannuleerd" in await chat("regisseur", f"status {number}")
    await assert_consistent(chat.app, "cancelled")


async def test_done_on_behalf_of_the_holder_is_audited_as_such(chat: Chat) -> None:
    number = await two_actions(chat)
    assert "namens Anna Agent" in await chat("regisseur", f"wijzig {number} #1", "5")
    assert "staat op gedaan, namens Anna Agent" in await chat("regisseur", "ja")
    assert (await action(chat, 1)).status is ActionStatus.DONE
    async with chat.app.sessions() as session:
        entries = await audit.entries_for_case(session, number)
        holder = await session.scalar(select(Professional.id).where(Professional.handle == "agent"))
    assert holder is not None
    assert any(e.event == "action.done" and e.on_behalf_of == audit.for_person(holder) for e in entries)
    assert await told(chat.app, "action_done_on_behalf") == ["agent"]


async def test_bad_answers_change_nothing_and_only_the_directing_procesregisseur_may_change(
    chat: Chat,
) -> None:
    number = await two_actions(chat)
    assert "alleen een procesregisseur" in await chat("agent", f"wijzig {number} #1")
    assert "Ik kan geen casus" in await chat("regisseur2", f"wijzig {number} #1")  # not theirs: not found
    assert "geen van de mogelijke antwoorden" in await chat("regisseur", f"wijzig {number} #1", "9")
    assert "Gestopt" in await chat("regisseur", "stop")
    before = await action(chat, 1)
    assert (before.description, before.status) == ("Huisbezoek afleggen", ActionStatus.OPEN)


async def test_a_deadline_beyond_any_plan_is_refused_in_words_and_nothing_changes(chat: Chat) -> None:
    number = await two_actions(chat)
    for typed in ("31-12-9999 23:59", "30-12-9999"):
        refused = await chat("regisseur", f"wijzig {number} #1", "deadline verzetten", typed)
        assert "meer dan vijf jaar vooruit" in refused and "Er ging iets mis" not in refused
        await chat("regisseur", "stop")
    assert (await action(chat, 1)).deadline.year == 2026


async def test_the_case_view_warns_of_an_action_nobody_can_receive_any_more(chat: Chat) -> None:
    number = await two_actions(chat)
    assert "Let op" not in await chat("regisseur", f"status {number}")
    async with chat.app.sessions() as session, session.begin():
        holder = (await session.scalars(select(Professional).where(Professional.handle == "ggz"))).one()
        holder.active = False  # as 'vhbot users disable ggz' does
    view = await chat("regisseur", f"status {number}")
    assert f"Let op: actie {number} #2 heeft geen actiehouder die de bot kan bereiken: Gerda GGZ" in view
    assert f"actie {number} #1 heeft geen" not in view


async def test_the_case_view_names_organisations_holding_actions_and_warns_of_one_nobody_receives_for(
    chat: Chat,
) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat(
        "regisseur",
        f"plan {number}",
        *("Reclassering inlichten", "Reclassering Nederland", "vrijdag 11 december 14:00", "ja", "ja"),
        *("Schuldhulp regelen", "GGZ Voorbeeld", "vrijdag 18 december", "ja", "nee"),
        *("geen", "ja"),
    )
    view = await chat("regisseur", f"status {number}")
    assert "#1 Reclassering inlichten — Reclassering Nederland" in view
    assert "#2 Schuldhulp regelen — GGZ Voorbeeld" in view
    assert "Let op" not in view
    history = view.split("Verloop (laatste stappen):")[1]
    assert "· ingediend · Anna Agent\n" in history and "· in uitvoering · Petra Regisseur" in history
    assert "(" not in history  # their names alone
    async with chat.app.sessions() as session, session.begin():
        member = (
            await session.scalars(select(Professional).where(Professional.handle == "reclassering"))
        ).one()
        member.active = False  # the organisation's only member leaves
    view = await chat("regisseur", f"status {number}")
    assert (
        f"Let op: actie {number} #1 heeft geen actiehouder die de bot kan bereiken: Reclassering Nederland"
        in view
    )
    assert f"actie {number} #2 heeft geen" not in view
