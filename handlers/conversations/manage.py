"""The procesregisseur walks a case through the process: overleg, plan, escalation, handover, closing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers import reminders
from handlers.authorization import DIRECTORS
from handlers.cases.flow import NEXT_STATES, PLANNABLE, announce_meeting, move
from handlers.cases.lookup import (
    directed_case,
    find_case_number,
)
from handlers.cases.views import state_label
from handlers.conversations import plan
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import ask_confirm
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.date_step import DateStep
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from storage import cases
from storage.models import Case, CaseState

KIND = "manage"
MENU, CLOSE = "pick", "close"
MEETING = DateStep("meeting", "manage.meeting_prompt", "default_meeting_time")
# Menu option → the state it moves the case to. Intake decisions live in the intake conversation.
MOVES = {
    "meeting": CaseState.CASUSOVERLEG_GEPLAND,
    "follow_up": CaseState.VERVOLGOVERLEG,
    "escalate": CaseState.OPGESCHAALD,
    "deescalate": CaseState.AFGESCHAALD,
    "close": CaseState.AFGESLOTEN,
}


@dataclass
class ManageState:
    number: str


Manage = DialogueState[ManageState]
steps: Steps[ManageState, Case] = Steps()


def _options(case: Case) -> list[str]:
    options = ["plan"] if case.state in PLANNABLE else []
    return options + [key for key, target in MOVES.items() if target in NEXT_STATES[case.state]]


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
    options = _options(case)
    if not options:
        turn.say("manage.nothing", number=case.number, state=state_label(turn, case))
        return None
    state = DialogueState(KIND, MENU, ManageState(case.number))
    turn.offer(
        state,
        turn.t("manage.menu", number=case.number, state=state_label(turn, case)),
        [Choice(key, turn.t(f"manage.option.{key}")) for key in options],
    )
    return state


async def resume(turn: Turn, state: Manage) -> DialogueState[Any] | None:
    case = await directed_case(turn, state.data.number)
    return None if case is None else await steps.run(turn, state, case)


@steps(MENU)
async def _on_menu(turn: Turn, state: Manage, case: Case) -> DialogueState[Any] | None:
    option = turn.picked(state)
    if option is None or option not in _options(case):
        turn.reoffer(state)
        return state
    if option == "plan":
        return await plan.begin(turn, case.number)
    if option == "meeting":
        MEETING.ask(turn, state)
        return state
    if option == "close":
        return ask_confirm(turn, state, CLOSE, turn.t("manage.close_confirm", number=case.number))
    await _apply(turn, case, option)
    return None


async def _on_meeting(turn: Turn, state: Manage, case: Case, moment: datetime | None) -> None:
    case.next_meeting_at = moment
    await _apply(turn, case, "meeting")


steps.date(MEETING, _on_meeting)


@steps(CLOSE)
async def _on_close(turn: Turn, state: Manage, case: Case) -> None:
    if turn.picked(state) == "ja":
        await _apply(turn, case, "close")
    else:
        turn.say("common.ok")


async def _apply(turn: Turn, case: Case, option: str) -> None:
    await move(turn, case, MOVES[option])
    if option == "meeting":
        assert case.next_meeting_at is not None
        await announce_meeting(turn, case)
        await reminders.plan_meeting(turn, case)
        when = long_date(turn.texts, turn.lang, case.next_meeting_at, turn.tz)
        turn.say("manage.meeting_set", number=case.number, when=when)
        return
    if option == "close":
        await reminders.cancel_case(turn, case)
        await turn.notify(case.melder_id, "case_closed", case.number)
    turn.say("manage.moved", number=case.number, state=state_label(turn, case))


CONVERSATION = Conversation(KIND, DIRECTORS, ManageState, start, resume)
