"""What each step in a case's life does besides moving its state: closing, reopening, escalating, handing over.

Each one leaves every view consistent with the new state (domain.md Part 2 §1) and tells everyone concerned
once, through ``handlers.recipients``: the participants and actiehouders hear that the case moved (its number,
never its content), the melder hears the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from handlers import recipients, reminders
from handlers.cases.flow import move
from handlers.dialogue.turn import Turn
from handlers.notice_kind import NOTHING, Nothing, NoticeKind, OfAction, References
from storage import actions, audit, cases, outbox, privacy
from storage.models import Action, ActionStatus, Case, CaseState, Organisation, Professional
from storage.privacy import Decision


@dataclass(frozen=True)
class ClosedBecause(References):
    reason: str  # a key of config/process.toml's close_reasons


@dataclass(frozen=True)
class EscalatedTo(References):
    target: str  # a key of config/process.toml's escalation_targets


# About the closing itself: they may go out once the case is closed ('case_closed', without the reason, only in
# rows an earlier version queued).
CASE_CLOSED = NoticeKind("case_closed", Nothing, after_closing=True)
CASE_CLOSED_BECAUSE = NoticeKind("case_closed_because", ClosedBecause, after_closing=True)  # the melder
CASE_CLOSED_TEAM = NoticeKind("case_closed_team", Nothing, after_closing=True)
CASE_REOPENED = NoticeKind("case_reopened", Nothing)
CASE_ASSIGNED = NoticeKind("case_assigned", Nothing)  # a procesregisseur directs it from now on
CASE_ESCALATED_MANAGER = NoticeKind("case_escalated_manager", EscalatedTo)
CASE_ESCALATED = NoticeKind("case_escalated", Nothing)
CASE_HANDED_OVER = NoticeKind("case_handed_over", Nothing)  # the casusregisseur outside the ZVH
CASE_DEESCALATED = NoticeKind("case_deescalated", Nothing)
# What became of one's own action, when someone else changed its holder or cancelled it.
ACTION_REASSIGNED_AWAY = NoticeKind("action_reassigned_away", OfAction)
ACTION_CANCELLED = NoticeKind("action_cancelled", OfAction)
NOTICES = (
    CASE_CLOSED,
    CASE_CLOSED_BECAUSE,
    CASE_CLOSED_TEAM,
    CASE_REOPENED,
    CASE_ASSIGNED,
    CASE_ESCALATED_MANAGER,
    CASE_ESCALATED,
    CASE_HANDED_OVER,
    CASE_DEESCALATED,
    ACTION_REASSIGNED_AWAY,
    ACTION_CANCELLED,
)


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
        await turn.notify(case.melder_id, CASE_CLOSED_BECAUSE, case.number, ClosedBecause(reason))
    for recipient in told:
        if recipient != case.melder_id:
            await turn.notify(recipient, CASE_CLOSED_TEAM, case.number, NOTHING)


async def reopen(turn: Turn, case: Case) -> None:
    """Back to 'geaccepteerd' (the retention clock stops): the procesregisseur plans it anew; the melder hears."""
    await move(turn, case, CaseState.GEACCEPTEERD)
    case.closed_at = None
    if case.melder_id != turn.person.id:
        await turn.notify(case.melder_id, CASE_REOPENED, case.number, NOTHING)


async def retain(turn: Turn, case: Case, until: datetime, why: str) -> None:
    """Kept past its bewaartermijn until ``until`` (AVG/WGS: a decision with a reason): the purge honours it, the
    decision keeps why, encrypted, and the audit trail who and when."""
    case.retain_until = until
    by = audit.for_person(turn.person.id)
    await privacy.decide(turn.session, Decision.EXTENSION, case.number, by, why, turn.now(), until=until)
    await turn.audit("case.retention.extended", case.number)


async def to_colleague(turn: Turn, case: Case, colleague: Professional) -> None:
    """Another procesregisseur directs the case from now on: they hear of it, and the reminders that went to the
    procesregisseur (an overdue action, the next overleg) follow them."""
    case.procesregisseur_id = colleague.id
    for action in await open_actions(turn, case):
        await reminders.replan_action(turn, case, action)
    await reminders.plan_meeting(turn, case)
    await turn.audit("case.director.handover", case.number)
    await turn.notify(colleague.id, CASE_ASSIGNED, case.number, NOTHING)


async def escalate(turn: Turn, case: Case, target: str, why: str) -> None:
    """Opgeschaald to the ketenmanager or bestuurlijk, with why; the ketenmanager and the case's team hear."""
    await move(turn, case, CaseState.OPGESCHAALD, note=why, reason=target)
    for recipient in await recipients.ketenmanagers(turn.session):
        await turn.notify(recipient, CASE_ESCALATED_MANAGER, case.number, EscalatedTo(target))
    for recipient in await recipients.team(turn.session, case, besides=turn.person.id):
        await turn.notify(recipient, CASE_ESCALATED, case.number, NOTHING)


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
        kind = ACTION_CANCELLED if open_ones == "cancel" else ACTION_REASSIGNED_AWAY
        for holder in sorted(holders):
            await turn.notify(holder, kind, case.number, OfAction(action.seq), action_id=action.id)
    await cases.add_participant(turn.session, case.id, professional_id=contact.id)
    await move(turn, case, CaseState.AFGESCHAALD, note=organisation.name, reason="afgeschaald")
    await turn.notify(contact.id, CASE_HANDED_OVER, case.number, NOTHING)
    for recipient in sorted(told - {contact.id}):
        await turn.notify(recipient, CASE_DEESCALATED, case.number, NOTHING)
