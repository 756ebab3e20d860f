"""What each step in a case's life does besides moving its state: closing, reopening, escalating, handing over.

Each one leaves every view consistent with the new state (domain.md Part 2 §1) and tells everyone concerned
once, through ``handlers.recipients``: the participants and actiehouders hear that the case moved (its number,
never its content), the melder hears the outcome.
"""

from __future__ import annotations

from collections.abc import Callable

from handlers import recipients, reminders
from handlers.cases.flow import move
from handlers.dialogue.turn import Turn
from storage import actions, cases, outbox
from storage.models import Action, ActionStatus, Case, CaseState, Organisation, Professional

# Notices that may still go out once a case is closed: they are about the closing itself ('case_closed', without
# the reason, only in rows queued by an earlier version).
CLOSING_NOTICES = ("case_closed", "case_closed_because", "case_closed_team")


async def open_actions(turn: Turn, case: Case) -> list[Action]:
    return [
        action
        for action in await actions.for_case(turn.session, case.id)
        if action.status is ActionStatus.OPEN
    ]


async def close(turn: Turn, case: Case, reason: str) -> None:
    """Closed with a reason: its open actions are cancelled with their reminders, the next overleg is cleared,
    nothing else queued about it goes out; the melder and everyone on the case are told."""
    told = await recipients.team(turn.session, case, besides=turn.person.id)
    for action in await open_actions(turn, case):
        actions.cancel(action, turn.now())
    case.next_meeting_at = None
    await outbox.cancel(turn.session, None, case_number=case.number)  # every kind: nothing of it goes out
    await move(turn, case, CaseState.AFGESLOTEN, reason=reason)
    if case.melder_id != turn.person.id:
        await turn.notify(case.melder_id, "case_closed_because", case.number, reason=reason)
    for recipient in told:
        if recipient != case.melder_id:
            await turn.notify(recipient, "case_closed_team", case.number)


async def reopen(turn: Turn, case: Case) -> None:
    """Back to 'geaccepteerd' (the retention clock stops): the procesregisseur plans it anew; the melder hears."""
    await move(turn, case, CaseState.GEACCEPTEERD)
    case.closed_at = None
    if case.melder_id != turn.person.id:
        await turn.notify(case.melder_id, "case_reopened", case.number)


async def to_colleague(turn: Turn, case: Case, colleague: Professional) -> None:
    """Another procesregisseur directs the case from now on: they hear of it, and the reminders that went to the
    procesregisseur (an overdue action, the next overleg) follow them."""
    case.procesregisseur_id = colleague.id
    for action in await open_actions(turn, case):
        await reminders.replan_action(turn, case, action)
    await reminders.plan_meeting(turn, case)
    await turn.audit("case.director.handover", case.number)
    await turn.notify(colleague.id, "case_assigned", case.number)


async def escalate(turn: Turn, case: Case, target: str, why: str) -> None:
    """Opgeschaald to the ketenmanager or bestuurlijk, with why; the ketenmanager and the case's team hear."""
    await move(turn, case, CaseState.OPGESCHAALD, note=why, reason=target)
    for recipient in await recipients.ketenmanagers(turn.session):
        await turn.notify(recipient, "case_escalated_manager", case.number, target=target)
    for recipient in await recipients.team(turn.session, case, besides=turn.person.id):
        await turn.notify(recipient, "case_escalated", case.number)


async def hand_over(
    turn: Turn,
    case: Case,
    organisation: Organisation,
    contact: Professional,
    decide: Callable[[Action], str],
) -> None:
    """Afgeschaald: casusregie goes to ``contact`` of ``organisation``; each open action is handed to them
    (``handover``), kept by its holder (``keep``) or cancelled (``cancel``), as ``decide`` says for it. The
    contact and the team hear."""
    told = set(await recipients.team(turn.session, case, besides=turn.person.id))
    for action in await open_actions(turn, case):
        open_ones = decide(action)
        if open_ones == "keep":
            continue
        # Each holder hears what became of their own action, besides that the case moved.
        holders = set(await recipients.action_holders(turn.session, action)) - {turn.person.id, contact.id}
        if open_ones == "cancel":
            actions.cancel(action, turn.now())
            await reminders.cancel_action(turn, action)
        else:
            action.holder_id, action.holder_organisation_id = contact.id, organisation.id
            await reminders.replan_action(turn, case, action)
        kind = "action_cancelled" if open_ones == "cancel" else "action_reassigned_away"
        for holder in sorted(holders):
            await turn.notify(holder, kind, case.number, action_id=action.id, action=action.seq)
    await cases.add_participant(turn.session, case.id, professional_id=contact.id)
    await move(turn, case, CaseState.AFGESCHAALD, note=organisation.name, reason="afgeschaald")
    await turn.notify(contact.id, "case_handed_over", case.number)
    for recipient in sorted(told - {contact.id}):
        await turn.notify(recipient, "case_deescalated", case.number)
