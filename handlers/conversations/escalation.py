"""The ketenmanager and an escalated case: what they need to act on it, and acting on it in chat.

The ketenmanager sees counts, never case content (domain.md Part 1). An escalation asks them to act, so while a
case is escalated they read exactly what acting needs: when and to whom it was escalated, why (in the words the
procesregisseur wrote, asked without names), who directs it, and which organisations hold open or overdue
actions (where it is stuck). Not the goal, the leefgebieden, the updates or who it is about. They answer the
procesregisseur (stored as an update on the case, as any partner's) or take the escalation up; both are audited
and the procesregisseur hears of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.authorization import MANAGER, Access
from handlers.cases.lookup import say_not_found, visible_case
from handlers.cases.picker import PICK, CasePick
from handlers.cases.posting import post_feedback
from handlers.cases.views import names
from handlers.dates.formatting import long_date, short_date
from handlers.dialogue.answers import ask_choice
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.identifying.free_text import read_text
from handlers.notice_kind import NoticeKind, OfPerson
from handlers.recipients import directors_of, ketenmanagers
from storage import actions, audit, cases
from storage.models import ActionStatus, AuditEntry, Case, CaseState, CaseTransition

KIND = "escalation"
CHOOSE, ANSWER = "choose", "answer"
RESPOND, TAKE_UP = "respond", "take_up"
TAKEN_UP = "case.escalation.take_up"  # the audit event that records who took an escalation up
# The procesregisseur and the other ketenmanagers hear who took it up.
ESCALATION_TAKEN_UP = NoticeKind("escalation_taken_up", OfPerson)
NOTICES = (ESCALATION_TAKEN_UP,)


@dataclass
class EscalationState:
    number: str | None = None


Escalation = DialogueState[EscalationState]
steps: Steps[EscalationState, Case] = Steps()


async def _escalated(turn: Turn, number: str) -> Case | None:
    """The case while it is escalated, audited; else exactly the unknown case's answer."""
    found = await visible_case(turn, number, Access.ESCALATION, "case.escalation.view")
    if found is None:
        say_not_found(turn, number)
        return None
    return found[0]


async def show(turn: Turn, number: str) -> Escalation | None:
    """What the ketenmanager needs to act on the escalation, then what they want to do about it."""
    case = await _escalated(turn, number)
    if case is None:
        return None
    moved = await cases.last_move_into(turn.session, case.id, CaseState.OPGESCHAALD)
    assert moved is not None, "an escalated case moved into that state"
    taken = await audit.last_event(turn.session, case.number, TAKEN_UP, moved.at)
    turn.say_lines(await _lines(turn, case, moved, taken))
    state = DialogueState(KIND, CHOOSE, EscalationState(case.number))
    options = (RESPOND,) if taken is not None else (RESPOND, TAKE_UP)
    return ask_choice(turn, state, CHOOSE, turn.t("escalation.question"), options, "escalation.option")


async def _lines(turn: Turn, case: Case, moved: CaseTransition, taken: AuditEntry | None) -> list[str]:
    items = [a for a in await actions.for_case(turn.session, case.id) if a.status is ActionStatus.OPEN]
    held = Counter(action.holder_organisation_id for action in items)
    late = Counter(action.holder_organisation_id for action in items if action.deadline < turn.now())
    known = await names(
        turn, [moved.actor_id, case.procesregisseur_id, taken.actor_id if taken else None], held.keys()
    )
    by_another = moved.actor_id != case.procesregisseur_id  # a waarnemer, or a colleague before a handover
    target = turn.t(f"escalation_target.{moved.reason}") if moved.reason else "?"
    lines = [
        turn.t("escalation.title", number=case.number),
        turn.t("escalation.when", when=short_date(turn.texts, turn.lang, moved.at, turn.tz), target=target),
        turn.t("escalation.why", text=moved.note or "?"),
        turn.t("escalation.director", name=known.of(case.procesregisseur_id)),
        *([turn.t("escalation.by", name=known.of(moved.actor_id))] if by_another else []),
        turn.t("escalation.held_title") if held else turn.t("escalation.nothing_held"),
    ]
    for organisation, count in sorted(held.items(), key=lambda item: known.of(None, item[0])):
        line = turn.t("escalation.held", organisation=known.of(None, organisation), count=count)
        if late[organisation]:
            line += turn.t("escalation.late", count=late[organisation])
        lines.append(line)
    if case.next_meeting_at is not None:
        when = long_date(turn.texts, turn.lang, case.next_meeting_at, turn.tz)
        lines.append(turn.t("escalation.meeting", when=when))
    if taken is not None:
        when = short_date(turn.texts, turn.lang, taken.at, turn.tz)
        lines.append(turn.t("escalation.taken_by", name=known.of(taken.actor_id), when=when))
    return lines


async def _escalated_now(turn: Turn) -> Sequence[Case]:
    return await cases.in_state(turn.session, CaseState.OPGESCHAALD)


PICKING = CasePick(
    KIND,
    EscalationState,
    _escalated_now,
    show,
    load=lambda turn, state: _escalated(turn, state.data.number or ""),
    steps=steps,
)


@steps.choice(CHOOSE)
async def _on_choose(turn: Turn, state: Escalation, case: Case, option: str) -> Escalation | None:
    if option == RESPOND:
        state.step = ANSWER
        turn.ask_open(state, turn.t("escalation.answer_prompt", number=case.number))
        return state
    await turn.audit(TAKEN_UP, case.number)
    for recipient in sorted({*await directors_of(turn.session, case), *await ketenmanagers(turn.session)}):
        if recipient != turn.person.id:
            await turn.notify(recipient, ESCALATION_TAKEN_UP, case.number, OfPerson(turn.person.id))
    turn.say("escalation.taken", number=case.number)
    return None


@steps(ANSWER)
async def _on_answer(turn: Turn, state: Escalation, case: Case) -> Escalation | None:
    text = await read_text(turn, state)
    if text is None:
        return state
    await post_feedback(turn, case, None, text, concern=False)
    return None


CONVERSATION = Conversation(
    KIND, MANAGER, EscalationState, PICKING.start, PICKING.resume, browsing=frozenset({PICK, CHOOSE})
)
