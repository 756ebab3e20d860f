"""The procesregisseur changes an action of a case they direct: its description, its deadline (later, with a
reason), its holder, or cancels it (with a reason), or marks it done on the holder's behalf.

Whoever held it and whoever holds it now is told; the reminders follow every change; the audit trail says on
whose behalf an action was marked done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers import recipients, reminders
from handlers.authorization import DIRECTORS
from handlers.cases.holders import Holder, holder_shortcuts, read_holder
from handlers.cases.lifecycle import ACTION_CANCELLED, ACTION_REASSIGNED_AWAY
from handlers.cases.lookup import directed_case, find_case_number
from handlers.cases.views import action_line, action_names, names
from handlers.conversations.plan import ACTION_ASSIGNED
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import ask_confirm, choose
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.date_step import DateStep
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.identifying.free_text import read_text
from handlers.notice_kind import ACTION, NoticeKind, OfAction
from storage import actions, audit, cases
from storage.models import Action, ActionStatus, Case, CaseState

KIND = "change"
# What the holders hear of a change to their action (with its deadline, where they must act on it).
ACTION_CHANGED = NoticeKind("action_changed", OfAction, about=ACTION, line="notice.action_due")
ACTION_DEADLINE_CHANGED = NoticeKind(
    "action_deadline_changed", OfAction, about=ACTION, line="notice.action_due"
)
ACTION_DONE_ON_BEHALF = NoticeKind("action_done_on_behalf", OfAction)
NOTICES = (ACTION_CHANGED, ACTION_DEADLINE_CHANGED, ACTION_DONE_ON_BEHALF)
PICK, MENU = "pick", "menu"
DESCRIPTION, DESCRIPTION_CONFIRM = "description", "description_confirm"
DEADLINE_REASON = "deadline_reason"
HOLDER, HOLDER_CONFIRM = "holder", "holder_confirm"
CANCEL_REASON, CANCEL_CONFIRM = "cancel_reason", "cancel_confirm"
DONE_CONFIRM = "done_confirm"
DEADLINE = DateStep("deadline", "change.deadline_prompt")
# Every option in its fixed place: its number is its position.
OPTIONS = ("description", "deadline", "holder", "cancel", "done")
_SEQ = re.compile(r"#\s*(\d+)")


@dataclass
class ChangeState:
    number: str
    action_id: int | None = None
    text: str | None = None  # a new description
    deadline: datetime | None = None
    holder: Holder | None = None


@dataclass(frozen=True)
class Target:
    """The open action being changed, and its case."""

    case: Case
    action: Action

    @property
    def name(self) -> str:
        return f"{self.case.number} #{self.action.seq}"


Change = DialogueState[ChangeState]
steps: Steps[ChangeState, Target] = Steps()


async def start(turn: Turn, argument: str) -> Change | None:
    number = find_case_number(argument)
    if number is None:
        turn.say("change.needs_number")
        return None
    case = await directed_case(turn, number)
    if case is None:
        return None
    open_ones = [a for a in await actions.for_case(turn.session, case.id) if a.status is ActionStatus.OPEN]
    if case.state is CaseState.AFGESLOTEN or not open_ones:
        turn.say("change.nothing_open", number=case.number)
        return None
    state = DialogueState(KIND, PICK, ChangeState(case.number))
    seq = _SEQ.search(argument)
    chosen = next((a for a in open_ones if seq and a.seq == int(seq.group(1))), None)
    if chosen is not None:
        state.data.action_id = chosen.id
        return _menu(turn, state, Target(case, chosen))
    known = await action_names(turn, open_ones)
    choices = [Choice(str(a.id), action_line(turn, a, known)) for a in open_ones]
    turn.offer(state, turn.t("change.pick", number=case.number), choices)
    return state


def _menu(turn: Turn, state: Change, target: Target) -> Change:
    state.step = MENU
    options = [Choice(key, turn.t(f"change.option.{key}")) for key in OPTIONS]
    turn.offer(state, turn.t("change.menu", action=target.name), options)
    return state


async def resume(turn: Turn, state: Change) -> DialogueState[Any] | None:
    case = await directed_case(turn, state.data.number)
    if case is None:
        return None
    if state.step == PICK:
        picked = choose(turn, state)
        if picked is None:
            return state
        state.data.action_id = int(picked)
    action = await actions.by_id(turn.session, state.data.action_id) if state.data.action_id else None
    if action is None or action.case_id != case.id or action.status is not ActionStatus.OPEN:
        turn.say("actions.gone")
        return None
    if state.step == PICK:
        return _menu(turn, state, Target(case, action))
    return await steps.run(turn, state, Target(case, action))


@steps.choice(MENU)
async def _on_menu(turn: Turn, state: Change, target: Target, option: str) -> Change:
    case, action = target.case, target.action
    if option == "description":
        state.step = DESCRIPTION
        turn.ask_open(state, turn.t("change.description_prompt", action=target.name))
    elif option == "deadline":
        current = long_date(turn.texts, turn.lang, action.deadline, turn.tz, with_time=True)
        DEADLINE.ask(turn, state, turn.t("change.deadline_now", action=target.name, when=current))
    elif option == "holder":
        state.step = HOLDER
        turn.offer(state, turn.t("change.holder_prompt"), await holder_shortcuts(turn, case))
    elif option == "cancel":
        state.step = CANCEL_REASON
        turn.ask_open(state, turn.t("change.cancel_reason", action=target.name))
    elif option == "done":
        holder = await _holder_name(turn, action)
        text = turn.t("change.done_confirm", action=target.name, holder=holder)
        return ask_confirm(turn, state, DONE_CONFIRM, text)
    return state


async def _holder_name(turn: Turn, action: Action) -> str:
    known = await names(turn, [action.holder_id], [action.holder_organisation_id])
    return known.of(action.holder_id, action.holder_organisation_id)


async def _tell_holders(turn: Turn, target: Target, kind: NoticeKind[OfAction]) -> None:
    action = target.action
    for recipient in await recipients.action_holders(turn.session, action):
        if recipient != turn.person.id:
            await turn.notify(recipient, kind, target.case.number, OfAction(action.seq), action_id=action.id)


@steps(DESCRIPTION)
async def _on_description(turn: Turn, state: Change, target: Target) -> Change:
    text = await read_text(turn, state)
    if text is None:
        return state
    state.data.text = text
    question = turn.t("change.description_confirm", action=target.name, text=text)
    return ask_confirm(turn, state, DESCRIPTION_CONFIRM, question)


@steps.on_yes(DESCRIPTION_CONFIRM, corrects=DESCRIPTION)
async def _change_description(turn: Turn, state: Change, target: Target) -> None:
    assert state.data.text is not None, "asked at the step before"
    target.action.description = state.data.text
    await turn.audit("action.edit", target.case.number)
    await _tell_holders(turn, target, ACTION_CHANGED)
    turn.say("change.description_changed", action=target.name)


async def _on_deadline(turn: Turn, state: Change, target: Target, moment: datetime | None) -> Change:
    assert moment is not None
    state.data.deadline = moment
    state.step = DEADLINE_REASON
    turn.ask_open(state, turn.t("change.deadline_reason"))
    return state


def _not_later(turn: Turn, state: Change, target: Target, moment: datetime) -> str | None:
    """A deadline moves later here; an earlier one is refused as soon as it is read (cancel and plan anew)."""
    if moment > target.action.deadline:
        return None
    current = long_date(turn.texts, turn.lang, target.action.deadline, turn.tz, with_time=True)
    return turn.t("change.deadline_not_later", when=current)


steps.date(DEADLINE, _on_deadline, _not_later)


@steps(DEADLINE_REASON)
async def _on_deadline_reason(turn: Turn, state: Change, target: Target) -> Change | None:
    case, action = target.case, target.action
    assert state.data.deadline is not None
    reason = await read_text(turn, state)
    if reason is None:
        return state
    action.deadline, action.note = state.data.deadline, reason
    await reminders.replan_action(turn, case, action)
    await turn.audit("action.deadline", case.number)
    await _tell_holders(turn, target, ACTION_DEADLINE_CHANGED)
    when = long_date(turn.texts, turn.lang, action.deadline, turn.tz, with_time=True)
    turn.say("change.deadline_changed", action=target.name, when=when)
    return None


@steps(HOLDER)
async def _on_holder(turn: Turn, state: Change, target: Target) -> Change:
    action = target.action
    holder = await read_holder(turn, state)
    if holder is None:
        return state
    if (holder.person_id, holder.organisation_id) == (action.holder_id, action.holder_organisation_id):
        turn.say("change.same_holder")
        return state
    state.data.holder = holder
    known = await names(turn, [holder.person_id], [holder.organisation_id])
    text = turn.t(
        "change.holder_confirm",
        action=target.name,
        holder=known.of(holder.person_id, holder.organisation_id),
    )
    return ask_confirm(turn, state, HOLDER_CONFIRM, text)


@steps.on_yes(HOLDER_CONFIRM)
async def _change_holder(turn: Turn, state: Change, target: Target) -> None:
    case, action, holder = target.case, target.action, state.data.holder
    assert holder is not None, "asked at the step before"
    await _tell_holders(turn, target, ACTION_REASSIGNED_AWAY)
    action.holder_id, action.holder_organisation_id = holder.person_id, holder.organisation_id
    if holder.person_id is not None:
        await cases.add_participant(turn.session, case.id, professional_id=holder.person_id)
    else:
        await cases.add_participant(turn.session, case.id, organisation_id=holder.organisation_id)
    await reminders.replan_action(turn, case, action)
    await turn.audit("action.reassign", case.number)
    await _tell_holders(turn, target, ACTION_ASSIGNED)
    turn.say("change.holder_changed", action=target.name)


@steps(CANCEL_REASON)
async def _on_cancel_reason(turn: Turn, state: Change, target: Target) -> Change:
    reason = await read_text(turn, state)
    if reason is None:
        return state
    state.data.text = reason
    return ask_confirm(turn, state, CANCEL_CONFIRM, turn.t("change.cancel_confirm", action=target.name))


@steps.on_yes(CANCEL_CONFIRM)
async def _cancel(turn: Turn, state: Change, target: Target) -> None:
    case, action = target.case, target.action
    actions.cancel(action, turn.now())
    action.note = state.data.text
    await reminders.cancel_action(turn, action)
    await turn.audit("action.cancel", case.number)
    await _tell_holders(turn, target, ACTION_CANCELLED)
    turn.say("change.cancelled", action=target.name)


@steps.on_yes(DONE_CONFIRM)
async def _done_on_behalf(turn: Turn, state: Change, target: Target) -> None:
    case, action = target.case, target.action
    holder = await _holder_name(turn, action)
    actions.complete(action, turn.now())
    await reminders.cancel_action(turn, action)
    behalf = audit.for_person(action.holder_id) if action.holder_id is not None else holder
    await turn.audit("action.done", case.number, on_behalf_of=behalf)
    await _tell_holders(turn, target, ACTION_DONE_ON_BEHALF)
    turn.say("change.done", action=target.name, holder=holder)


CONVERSATION = Conversation(KIND, DIRECTORS, ChangeState, start, resume)
