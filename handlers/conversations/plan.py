"""Recording the plan van aanpak of a casusoverleg: actions (what, who, by when) and the next overleg."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from handlers import recipients, reminders
from handlers.authorization import DIRECTORS, Access
from handlers.cases.flow import NEXT_STATES, PLANNABLE, announce_meeting, move
from handlers.cases.holders import Holder, holder_shortcuts, read_holder
from handlers.cases.lookup import (
    directed_case,
    directed_ids,
    say_not_found,
    visible_case,
)
from handlers.cases.picker import PICK, CasePick
from handlers.cases.views import names, state_label
from handlers.dates.formatting import short_date
from handlers.dialogue.answers import ask_confirm, confirmed
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.date_step import DateStep
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.identifying.free_text import read_text
from handlers.notice_kind import ACTION, NoticeKind, OfAction
from storage import actions, cases
from storage.models import Case, CaseState

KIND = "plan"
# The holder of a new action: which one, and by when (the deadline, as it stands when the notice goes out).
ACTION_ASSIGNED = NoticeKind("action_assigned", OfAction, about=ACTION, line="notice.action_due")
NOTICES = (ACTION_ASSIGNED,)
DESCRIPTION, HOLDER, MORE, CONFIRM = "description", "holder", "more", "confirm"
# After 'nee' at the summary: which part to change (an action, the overleg), add one, or throw it all away (asked
# once more). Nothing typed so far is lost by a 'nee'.
CHANGE, DISCARD = "change", "discard"
MEETING_PART, ADD_PART, DISCARD_PART = "meeting", "add", "discard"
DEADLINE = DateStep("deadline", "plan.deadline_prompt")
MEETING = DateStep("meeting", "plan.meeting_prompt", "default_meeting_time", optional=True)


@dataclass
class PlannedAction:
    description: str
    holder: Holder
    deadline: datetime


@dataclass
class PlanState:
    number: str | None = None
    actions: list[PlannedAction] = field(default_factory=list)
    description: str | None = None  # the action being written, until its holder and deadline are known
    holder: Holder | None = None
    meeting: datetime | None = None
    # Where the action being written goes when it is written from the summary (then the summary comes back at
    # once): in place of the one there (``replacing``: kept until its new version is complete) or added there.
    at: int | None = None
    replacing: bool = False


Plan = DialogueState[PlanState]
steps: Steps[PlanState, Case] = Steps()


async def _plannable(turn: Turn) -> list[Case]:
    directed = await cases.directed_by(turn.session, await directed_ids(turn))
    return [case for case in directed if case.state in PLANNABLE]


async def begin(turn: Turn, number: str) -> Plan | None:
    case = await directed_case(turn, number)
    if case is None:
        return None
    if case.state not in PLANNABLE:
        turn.say("plan.not_now", number=case.number, state=state_label(turn, case))
        if CaseState.VERVOLGOVERLEG in NEXT_STATES[case.state]:  # a running plan: how an action is added
            turn.say("plan.add_through_follow_up", number=case.number)
        return None
    state = DialogueState(KIND, DESCRIPTION, PlanState(case.number))
    turn.say("plan.intro", number=case.number)
    turn.ask_open(state, turn.t("plan.description_prompt"))
    return state


async def _planned_case(turn: Turn, state: Plan) -> Case | None:
    """The case while a plan can still be recorded for it; else the unknown case's answer."""
    number = state.data.number or ""
    found = await visible_case(turn, number, Access.FULL, "case.view")
    if found is None or found[0].state not in PLANNABLE:
        say_not_found(turn, number)
        return None
    return found[0]


PICKING = CasePick(KIND, PlanState, _plannable, begin, load=_planned_case, steps=steps)


@steps(DESCRIPTION)
async def _on_description(turn: Turn, state: Plan, case: Case) -> Plan:
    text = await read_text(turn, state)
    if text is None:
        return state
    state.data.description = text
    state.step = HOLDER
    turn.offer(state, turn.t("plan.holder_prompt"), await holder_shortcuts(turn, case))
    return state


@steps(HOLDER)
async def _on_holder(turn: Turn, state: Plan, case: Case) -> Plan:
    holder = await read_holder(turn, state)
    if holder is None:
        return state
    state.data.holder = holder
    DEADLINE.ask(turn, state)
    return state


async def _on_deadline(turn: Turn, state: Plan, case: Case, moment: datetime | None) -> Plan:
    description, holder = state.data.description, state.data.holder
    assert moment is not None and description is not None and holder is not None
    planned = PlannedAction(description, holder, moment)
    state.data.description = state.data.holder = None
    if state.data.at is not None:  # written from the summary: back to it
        if state.data.replacing:
            state.data.actions[state.data.at] = planned
        else:
            state.data.actions.insert(state.data.at, planned)
        state.data.at, state.data.replacing = None, False
        return await _ask_summary(turn, state)
    state.data.actions.append(planned)
    return ask_confirm(turn, state, MORE, turn.t("plan.more"))


steps.date(DEADLINE, _on_deadline)


@steps(MORE)
async def _on_more(turn: Turn, state: Plan, case: Case) -> Plan:
    more = confirmed(turn, state)
    if more:
        state.step = DESCRIPTION
        turn.ask_open(state, turn.t("plan.description_prompt"))
    elif more is not None:
        MEETING.ask(turn, state)
    return state


async def _on_meeting(turn: Turn, state: Plan, case: Case, moment: datetime | None) -> Plan:
    state.data.meeting = moment
    return await _ask_summary(turn, state)


steps.date(MEETING, _on_meeting)


async def _ask_summary(turn: Turn, state: Plan) -> Plan:
    return ask_confirm(turn, state, CONFIRM, await _summary(turn, state.data))


async def _summary(turn: Turn, plan: PlanState) -> str:
    """Everything that will be stored: each action with its holder and deadline, and the next overleg."""
    known = await names(
        turn,
        [item.holder.person_id for item in plan.actions],
        [item.holder.organisation_id for item in plan.actions],
    )
    lines = [turn.t("plan.summary", count=len(plan.actions))]
    for index, item in enumerate(plan.actions, start=1):
        holder = known.of(item.holder.person_id, item.holder.organisation_id)
        deadline = short_date(turn.texts, turn.lang, item.deadline, turn.tz)
        lines.append(
            turn.t(
                "plan.summary_action",
                index=index,
                description=item.description,
                holder=holder,
                deadline=deadline,
            )
        )
    lines.append(
        turn.t("case.next_meeting", when=short_date(turn.texts, turn.lang, plan.meeting, turn.tz))
        if plan.meeting
        else turn.t("case.no_meeting")
    )
    lines += ["", turn.t("plan.confirm")]
    return "\n".join(lines)


@steps(CONFIRM)
async def _on_summary(turn: Turn, state: Plan, case: Case) -> Plan | None:
    answer = confirmed(turn, state)
    if answer is None:
        return state
    if answer:
        await _record(turn, case, state.data)
        turn.say("plan.recorded", number=case.number, count=len(state.data.actions))
        return None
    parts = [
        Choice(str(index), turn.t("plan.change_action", index=index + 1, description=item.description))
        for index, item in enumerate(state.data.actions)
    ]
    parts += [Choice(key, turn.t(f"plan.change.{key}")) for key in (MEETING_PART, ADD_PART, DISCARD_PART)]
    state.step = CHANGE
    turn.offer(state, turn.t("plan.change_which"), parts)
    return state


@steps.choice(CHANGE)
async def _on_change(turn: Turn, state: Plan, case: Case, part: str) -> Plan | None:
    if part == DISCARD_PART:
        text = turn.t("plan.discard_confirm", count=len(state.data.actions))
        return ask_confirm(turn, state, DISCARD, text)
    if part == MEETING_PART:
        MEETING.ask(turn, state)
        return state
    if part == ADD_PART:
        state.data.at, state.data.replacing = len(state.data.actions), False
    else:  # written again in its place; the others stay as they are
        state.data.at, state.data.replacing = int(part), True
    state.step = DESCRIPTION
    turn.ask_open(state, turn.t("plan.description_prompt"))
    return state


@steps(DISCARD)
async def _on_discard(turn: Turn, state: Plan, case: Case) -> Plan | None:
    answer = confirmed(turn, state)
    if answer is None:
        return state
    if not answer:
        return await _ask_summary(turn, state)  # back to the summary, nothing lost
    turn.say("plan.cancelled")
    return None


async def _record(turn: Turn, case: Case, plan: PlanState) -> None:
    """One transaction: the actions, their holders as deelnemers, the next overleg and the state walk."""
    now = turn.now()
    for item in plan.actions:
        action = await actions.add(
            turn.session,
            case=case,
            description=item.description,
            holder_id=item.holder.person_id,
            holder_organisation_id=item.holder.organisation_id,
            deadline=item.deadline,
            created_by_id=turn.person.id,
            now=now,
        )
        if item.holder.person_id is not None:
            await cases.add_participant(turn.session, case.id, professional_id=item.holder.person_id)
        else:
            await cases.add_participant(turn.session, case.id, organisation_id=item.holder.organisation_id)
        for recipient in await recipients.action_holders(turn.session, action):
            await turn.notify(
                recipient, ACTION_ASSIGNED, case.number, OfAction(action.seq), action_id=action.id
            )
        await reminders.plan_action(turn, case, action)
    case.next_meeting_at = plan.meeting
    await move(turn, case, CaseState.PLAN_VAN_AANPAK)
    await move(turn, case, CaseState.UITVOERING)
    await turn.audit("plan.record", case.number)
    await reminders.plan_meeting(turn, case)
    if plan.meeting:
        await announce_meeting(turn, case)


CONVERSATION = Conversation(
    KIND, DIRECTORS, PlanState, PICKING.start, PICKING.resume, browsing=frozenset({PICK})
)
