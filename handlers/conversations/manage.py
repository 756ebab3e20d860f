"""The procesregisseur walks a case through the process: overleg, plan, escalation, handover, closing, reopening.

The menu shows only what the process allows in the case's state, numbered 1, 2, 3, … as shown (a number is read
against the menu it answers, never against another state's). Every option keeps its word, and every transition
asks what the process needs and is confirmed by name before anything changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from handlers import recipients, reminders
from handlers.authorization import DIRECTORS, directs_cases
from handlers.cases import lifecycle, naming
from handlers.cases.flow import NEXT_STATES, PLANNABLE, announce_meeting, move
from handlers.cases.lookup import directed_case, find_case_number
from handlers.cases.views import action_line, action_names, state_label
from handlers.conversations import plan
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import ask_choice, ask_confirm
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.date_step import DateStep
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.identifying.free_text import read_text
from storage import cases, people
from storage.models import Action, Case, CaseState

KIND = "manage"
MENU = "pick"
FOLLOW_UP, REOPEN = "follow_up", "reopen"
CLOSE_REASON, CLOSE = "close_reason", "close"
ESCALATE_WHY, ESCALATE_TO, ESCALATE = "escalate_why", "escalate_to", "escalate"
HANDOVER_ORG, HANDOVER_CONTACT, HANDOVER_ACTIONS, HANDOVER_EACH, HANDOVER = (
    "handover_org",
    "handover_contact",
    "handover_actions",
    "handover_each",
    "handover",
)
# What happens to one open action at a handover; 'each' asks it per action.
ONE_ACTION = ("handover", "keep", "cancel")
HANDOVER_OPTIONS = (*ONE_ACTION, "each")
COLLEAGUE, COLLEAGUE_CONFIRM = "colleague", "colleague_confirm"
MEETING = DateStep("meeting", "manage.meeting_prompt", "default_meeting_time")
RETAIN_UNTIL = DateStep("retain_until", "manage.retain_prompt")
RETAIN_WHY, RETAIN = "retain_why", "retain"
# Where the ZVH's work on a case has ended: its data can be kept past the bewaartermijn, by decision (issue 37).
ENDED = (CaseState.AFGESLOTEN, CaseState.ADVIES)
# Every option in the order the menu shows it, with the state it moves the case to (None: the state stays, the
# case changes hands).
OPTIONS: dict[str, CaseState | None] = {
    "plan": CaseState.PLAN_VAN_AANPAK,
    "meeting": CaseState.CASUSOVERLEG_GEPLAND,
    "follow_up": CaseState.VERVOLGOVERLEG,
    "escalate": CaseState.OPGESCHAALD,
    "deescalate": CaseState.AFGESCHAALD,
    "close": CaseState.AFGESLOTEN,
    "reopen": CaseState.GEACCEPTEERD,
    "colleague": None,
    "retain": None,
}


@dataclass
class ManageState:
    number: str
    reason: str | None = None  # why it is closed, or to whom it is escalated (a key from config/process.toml)
    why: str | None = None  # what the procesregisseur wrote about an escalation, or why a case is kept longer
    until: str | None = None  # until when a case is kept (ISO 8601)
    organisation_id: int | None = None
    contact_id: int | None = None
    open_actions: str | None = None  # what happens to them at a handover: one of HANDOVER_OPTIONS
    per_action: dict[str, str] = field(default_factory=dict)  # action number → one of ONE_ACTION, for 'each'


Manage = DialogueState[ManageState]
steps: Steps[ManageState, Case] = Steps()


def _possible(key: str, target: CaseState | None, case: Case) -> bool:
    if key == "plan":
        return case.state in PLANNABLE
    if key == "retain":
        return case.state in ENDED
    if target is None:
        return case.state is not CaseState.AFGESLOTEN
    return target in NEXT_STATES[case.state]


def _options(turn: Turn, case: Case) -> list[Choice]:
    """What can be done now."""
    return [
        Choice(key, turn.t(f"manage.option.{key}"))
        for key, target in OPTIONS.items()
        if _possible(key, target, case)
    ]


async def start(turn: Turn, argument: str) -> Manage | None:
    number = find_case_number(argument)
    if number is None:
        turn.say("manage.needs_number")
        return None
    case = await directed_case(turn, number)
    if case is None:
        return None
    if case.state in cases.OPEN_INTAKE:
        turn.say("manage.use_intake", number=case.number)
        return None
    options = _options(turn, case)
    if not options:
        turn.say("manage.nothing", number=case.number, state=state_label(turn, case))
        return None
    state = DialogueState(KIND, MENU, ManageState(case.number))
    turn.offer(state, turn.t("manage.menu", number=case.number, state=state_label(turn, case)), options)
    return state


async def resume(turn: Turn, state: Manage) -> DialogueState[Any] | None:
    case = await directed_case(turn, state.data.number)
    return None if case is None else await steps.run(turn, state, case)


@steps.choice(MENU)
async def _on_menu(turn: Turn, state: Manage, case: Case, option: str) -> DialogueState[Any] | None:
    if option not in {choice.key for choice in _options(turn, case)}:
        return state
    number = case.number
    if option == "plan":
        return await plan.begin(turn, number)
    if option == "meeting":
        MEETING.ask(turn, state)
        return state
    if option == "follow_up":
        return ask_confirm(turn, state, FOLLOW_UP, turn.t("manage.follow_up_confirm", number=number))
    if option == "escalate":
        state.step = ESCALATE_WHY
        turn.ask_open(state, turn.t("manage.escalate_why", number=number))
        return state
    if option == "deescalate":
        state.step = HANDOVER_ORG
        turn.ask_open(state, turn.t("manage.handover_org", number=number))
        return state
    if option == "close":
        reasons = turn.definitions.process.close_reasons
        text = turn.t("manage.close_reason", number=number)
        return ask_choice(turn, state, CLOSE_REASON, text, reasons, "close_reason")
    if option == "retain":
        RETAIN_UNTIL.ask(turn, state)
        return state
    if option == "colleague":
        colleagues = await recipients.colleagues(turn.session, turn.person)
        if not colleagues:
            turn.say("manage.no_colleague")
            return None
        state.step = COLLEAGUE
        turn.offer(state, turn.t("manage.colleague_prompt"), [Choice(str(p.id), p.name) for p in colleagues])
        return state
    return ask_confirm(turn, state, REOPEN, turn.t("manage.reopen_confirm", number=number))


@steps.choice(COLLEAGUE)
async def _on_colleague(turn: Turn, state: Manage, case: Case, picked: str) -> Manage:
    colleague = await people.professional_by_id(turn.session, int(picked))
    assert colleague is not None
    state.data.contact_id = colleague.id
    text = turn.t("manage.colleague_confirm", number=case.number, name=colleague.name)
    return ask_confirm(turn, state, COLLEAGUE_CONFIRM, text)


@steps.on_yes(COLLEAGUE_CONFIRM)
async def _to_colleague(turn: Turn, state: Manage, case: Case) -> None:
    colleague = await people.professional_by_id(turn.session, state.data.contact_id or 0)
    if colleague is None or not directs_cases(colleague):  # no longer a procesregisseur meanwhile
        turn.say("manage.no_colleague")
        return
    await lifecycle.to_colleague(turn, case, colleague)
    turn.say("manage.colleague_done", number=case.number, name=colleague.name)
    return


async def _on_meeting(turn: Turn, state: Manage, case: Case, moment: datetime | None) -> None:
    assert moment is not None, "the date is not optional"
    case.next_meeting_at = moment
    await move(turn, case, CaseState.CASUSOVERLEG_GEPLAND)
    await announce_meeting(turn, case)
    await reminders.plan_meeting(turn, case)
    when = long_date(turn.texts, turn.lang, moment, turn.tz)
    turn.say("manage.meeting_set", number=case.number, when=when)


steps.date(MEETING, _on_meeting)


async def _on_retain_until(turn: Turn, state: Manage, case: Case, moment: datetime | None) -> Manage:
    assert moment is not None, "the date is not optional"
    state.data.until = moment.isoformat()
    state.step = RETAIN_WHY
    turn.ask_open(state, turn.t("manage.retain_why", number=case.number))
    return state


steps.date(RETAIN_UNTIL, _on_retain_until)


@steps(RETAIN_WHY)
async def _on_retain_why(turn: Turn, state: Manage, case: Case) -> Manage:
    why = await read_text(turn, state)
    if why is None:
        return state
    state.data.why = why
    assert state.data.until is not None, "asked at the step before"
    until = long_date(
        turn.texts, turn.lang, datetime.fromisoformat(state.data.until), turn.tz, with_time=False
    )
    return ask_confirm(turn, state, RETAIN, turn.t("manage.retain_confirm", number=case.number, until=until))


@steps.on_yes(RETAIN)
async def _retain(turn: Turn, state: Manage, case: Case) -> None:
    assert state.data.until is not None and state.data.why is not None, "asked at the steps before"
    until = datetime.fromisoformat(state.data.until)
    await lifecycle.retain(turn, case, until, state.data.why)
    shown = long_date(turn.texts, turn.lang, until, turn.tz, with_time=False)
    turn.say("manage.retained", number=case.number, until=shown)


@steps.on_yes(FOLLOW_UP)
async def _follow_up(turn: Turn, state: Manage, case: Case) -> None:
    await move(turn, case, CaseState.VERVOLGOVERLEG)
    turn.say("manage.moved", number=case.number, state=state_label(turn, case))


@steps.choice(CLOSE_REASON)
async def _on_close_reason(turn: Turn, state: Manage, case: Case, reason: str) -> Manage:
    state.data.reason = reason
    still_open = await lifecycle.open_actions(turn, case)
    label = turn.t(f"close_reason.{reason}")
    text = turn.t("manage.close_confirm", number=case.number, reason=label)
    if still_open:
        # Named one by one: after an afschalen some stayed with their holders, and closing cancels those too.
        known = await action_names(turn, still_open)
        text = "\n".join(
            [
                text,
                turn.t("manage.close_open_actions", count=len(still_open)),
                *(f"• {action_line(turn, action, known)}" for action in still_open),
            ]
        )
    return ask_confirm(turn, state, CLOSE, text)


@steps.on_yes(CLOSE)
async def _close(turn: Turn, state: Manage, case: Case) -> None:
    assert state.data.reason is not None, "asked at the step before"
    await lifecycle.close(turn, case, state.data.reason)
    turn.say("manage.closed", number=case.number, reason=turn.t(f"close_reason.{state.data.reason}"))


@steps.on_yes(REOPEN)
async def _reopen(turn: Turn, state: Manage, case: Case) -> None:
    await lifecycle.reopen(turn, case)
    turn.say("manage.reopened", number=case.number)


@steps(ESCALATE_WHY)
async def _on_escalate_why(turn: Turn, state: Manage, case: Case) -> Manage:
    why = await read_text(turn, state)
    if why is None:
        return state
    state.data.why = why
    targets = turn.definitions.process.escalation_targets
    return ask_choice(turn, state, ESCALATE_TO, turn.t("manage.escalate_to"), targets, "escalation_target")


@steps.choice(ESCALATE_TO)
async def _on_escalate_to(turn: Turn, state: Manage, case: Case, target: str) -> Manage:
    state.data.reason = target
    label = turn.t(f"escalation_target.{target}")
    return ask_confirm(
        turn, state, ESCALATE, turn.t("manage.escalate_confirm", number=case.number, target=label)
    )


@steps.on_yes(ESCALATE)
async def _escalate(turn: Turn, state: Manage, case: Case) -> None:
    assert state.data.reason is not None and state.data.why is not None, "asked at the steps before"
    await lifecycle.escalate(turn, case, state.data.reason, state.data.why)
    label = turn.t(f"escalation_target.{state.data.reason}")
    turn.say("manage.escalated", number=case.number, target=label)


@steps(HANDOVER_ORG)
async def _on_handover_org(turn: Turn, state: Manage, case: Case) -> Manage:
    """The organisation by (a part of) its name, or picked from the short list of those a part fits."""
    picked = turn.picked(state)
    if picked is not None:
        fitting = [await people.organisation_by_id(turn.session, int(picked))]
    else:
        fitting = await naming.organisations_named(turn.session, turn.incoming.text)
    if not fitting or len(fitting) > naming.MOST_LISTED:
        turn.say("manage.handover_org_unknown")
        return state
    if len(fitting) > 1:
        listed = [Choice(str(organisation.id), organisation.name) for organisation in fitting]
        turn.offer(state, turn.t("manage.handover_org_several"), listed)
        return state
    organisation = fitting[0]
    members = await people.members_of(turn.session, organisation.id)
    if not members:
        turn.say("manage.handover_nobody", organisation=organisation.name)
        return state
    state.data.organisation_id = organisation.id
    state.step = HANDOVER_CONTACT
    turn.offer(
        state,
        turn.t("manage.handover_contact", organisation=organisation.name),
        [Choice(str(member.id), member.name) for member in members],
    )
    return state


@steps.choice(HANDOVER_CONTACT)
async def _on_handover_contact(turn: Turn, state: Manage, case: Case, contact: str) -> Manage:
    state.data.contact_id = int(contact)
    count = len(await lifecycle.open_actions(turn, case))
    if not count:
        state.data.open_actions = "keep"
        return await _ask_handover(turn, state, case)
    text = turn.t("manage.handover_actions", count=count)
    return ask_choice(turn, state, HANDOVER_ACTIONS, text, HANDOVER_OPTIONS, "manage.handover_option")


@steps.choice(HANDOVER_ACTIONS)
async def _on_handover_actions(turn: Turn, state: Manage, case: Case, choice: str) -> Manage:
    state.data.open_actions = choice
    state.data.per_action = {}
    return await _ask_next_action(turn, state, case)


@steps.choice(HANDOVER_EACH)
async def _on_handover_each(turn: Turn, state: Manage, case: Case, choice: str) -> Manage:
    undecided = await _undecided(turn, state, case)
    if not undecided:
        return await _ask_handover(turn, state, case)
    state.data.per_action[str(undecided[0].seq)] = choice
    return await _ask_next_action(turn, state, case)


async def _undecided(turn: Turn, state: Manage, case: Case) -> list[Action]:
    if state.data.open_actions != "each":
        return []
    return [a for a in await lifecycle.open_actions(turn, case) if str(a.seq) not in state.data.per_action]


async def _ask_next_action(turn: Turn, state: Manage, case: Case) -> Manage:
    """For 'each': the next open action not decided yet, with its description and holder; then the summary."""
    undecided = await _undecided(turn, state, case)
    if not undecided:
        return await _ask_handover(turn, state, case)
    action = undecided[0]
    line = action_line(turn, action, await action_names(turn, [action]))
    text = turn.t("manage.handover_each", action=line)
    return ask_choice(turn, state, HANDOVER_EACH, text, ONE_ACTION, "manage.handover_one")


def _decision(state: ManageState, action: Action) -> str:
    """What happens to ``action``; one opened after the question was answered stays with its holder."""
    if state.open_actions == "each":
        return state.per_action.get(str(action.seq), "keep")
    assert state.open_actions is not None, "asked before the confirmation"
    return state.open_actions


async def _ask_handover(turn: Turn, state: Manage, case: Case) -> Manage:
    contact = await people.professional_by_id(turn.session, state.data.contact_id or 0)
    assert contact is not None
    if state.data.open_actions == "each":
        actions = ", ".join(
            turn.t("manage.handover_decided", action=seq, what=turn.t(f"manage.handover_one.{choice}"))
            for seq, choice in state.data.per_action.items()
        )
    else:
        actions = turn.t(f"manage.handover_option.{state.data.open_actions}")
    text = turn.t("manage.handover_confirm", number=case.number, contact=contact.name, actions=actions)
    return ask_confirm(turn, state, HANDOVER, text)


@steps.on_yes(HANDOVER)
async def _hand_over(turn: Turn, state: Manage, case: Case) -> None:
    data = state.data
    assert data.organisation_id is not None and data.open_actions is not None, "asked at the steps before"
    contact = await people.professional_by_id(turn.session, data.contact_id or 0)
    assert contact is not None, "people are disabled, never deleted"
    organisation = await people.organisation_by_id(turn.session, data.organisation_id)
    await lifecycle.hand_over(turn, case, organisation, contact, lambda action: _decision(data, action))
    turn.say("manage.handed_over", number=case.number, contact=contact.name)


CONVERSATION = Conversation(KIND, DIRECTORS, ManageState, start, resume)
