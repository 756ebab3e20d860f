"""The procesregisseur walks a case through the process: overleg, plan, escalation, handover, closing."""

from __future__ import annotations

from datetime import datetime

from handlers import plan, reminders
from handlers.authorization import Access
from handlers.case_flow import NEXT_STATES, PLANNABLE, announce_meeting, move
from handlers.case_lookup import find_case_number, refused_unless_director, say_not_found, visible_case
from handlers.case_views import state_label
from handlers.date_question import DateStep
from handlers.formatting import long_date
from handlers.messages import Choice, DialogueState
from handlers.turn import Turn
from storage import cases
from storage.models import Case, CaseState

MEETING = DateStep("meeting", "manage.meeting_prompt", "default_meeting_time")
# Menu option → the state it moves the case to. Intake decisions live in the intake conversation.
MOVES = {
    "meeting": CaseState.CASUSOVERLEG_GEPLAND,
    "follow_up": CaseState.VERVOLGOVERLEG,
    "escalate": CaseState.OPGESCHAALD,
    "deescalate": CaseState.AFGESCHAALD,
    "close": CaseState.AFGESLOTEN,
}


def _options(case: Case) -> list[str]:
    options = ["plan"] if case.state in PLANNABLE else []
    return options + [key for key, target in MOVES.items() if target in NEXT_STATES[case.state]]


class ManageConversation:
    kind = "manage"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        if refused_unless_director(turn):
            return None
        number = find_case_number(argument)
        if number is None:
            turn.say("manage.needs_number")
            return None
        case = await self._case(turn, number)
        if case is None:
            return None
        if case.state in cases.OPEN_INTAKE:
            turn.say("manage.use_intake", number=case.number)
            return None
        options = _options(case)
        if not options:
            turn.say("manage.nothing", number=case.number, state=state_label(turn, case))
            return None
        state = DialogueState(self.kind, "pick", {"number": case.number})
        turn.offer(
            state,
            turn.t("manage.menu", number=case.number, state=state_label(turn, case)),
            [Choice(key, turn.t(f"manage.option.{key}")) for key in options],
        )
        return state

    async def _case(self, turn: Turn, number: str) -> Case | None:
        found = await visible_case(turn, number, Access.FULL, "case.view")
        if found is None:
            say_not_found(turn, number)
            return None
        return found[0]

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        case = await self._case(turn, state.data["number"])
        if case is None:
            return None
        if MEETING.handles(state):
            moment = MEETING.handle(turn, state)
            if not isinstance(moment, datetime):
                return state
            case.next_meeting_at = moment
            await self._apply(turn, case, "meeting")
            return None
        if state.step == "close":
            answer = turn.picked(state)
            if answer == "ja":
                await self._apply(turn, case, "close")
            else:
                turn.say("common.ok")
            return None
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
            state.step = "close"
            turn.offer(state, turn.t("manage.close_confirm", number=case.number), turn.yes_no())
            return state
        await self._apply(turn, case, option)
        return None

    async def _apply(self, turn: Turn, case: Case, option: str) -> None:
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
