"""Terugkoppeling: anyone on a case posts an update, optionally about an action, optionally a zorgsignaal."""

from __future__ import annotations

from handlers.authorization import Access, may_post_feedback
from handlers.case_lookup import find_case_number, say_not_found, visible_case
from handlers.case_picker import PICK, offer_cases, picked_number
from handlers.messages import Choice, DialogueState
from handlers.posting import ask_text, text_then_concern
from handlers.turn import Turn
from storage import actions, cases
from storage.models import ActionStatus, Case

NO_ACTION = "none"


async def _case(turn: Turn, number: str) -> tuple[Case, Access] | None:
    found = await visible_case(turn, number, Access.REFERRAL_STATE, "case.view_for_feedback")
    if found is None or not may_post_feedback(found[1], found[0]):
        say_not_found(turn, number)
        return None
    return found


class FeedbackConversation:
    kind = "feedback"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        number = find_case_number(argument)
        if number:
            return await self._begin(turn, number)
        involved = await cases.cases_involving(turn.session, turn.person)
        return await offer_cases(turn, self.kind, involved, turn.t("feedback.pick"), "feedback.no_cases")

    async def _begin(self, turn: Turn, number: str) -> DialogueState | None:
        found = await _case(turn, number)
        if found is None:
            return None
        case, access = found
        state = DialogueState(self.kind, "text", {"number": case.number, "action_id": None})
        open_actions = [
            a for a in await actions.for_case(turn.session, case.id) if a.status is ActionStatus.OPEN
        ]
        if access >= Access.ACTION_LIST and open_actions:
            state.step = "action"
            choices = [Choice(str(a.id), f"#{a.seq} {a.description}") for a in open_actions]
            turn.offer(
                state,
                turn.t("feedback.action_prompt"),
                [*choices, Choice(NO_ACTION, turn.t("feedback.no_action"))],
            )
            return state
        return ask_text(turn, state)

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        if state.step == PICK:
            number = picked_number(turn, state)
            return state if number is None else await self._begin(turn, number)
        found = await _case(turn, state.data["number"])
        if found is None:
            return None
        case = found[0]
        if state.step == "action":
            picked = turn.picked(state)
            if picked is None:
                turn.reoffer(state)
                return state
            state.data["action_id"] = None if picked == NO_ACTION else int(picked)
            return ask_text(turn, state)
        return await text_then_concern(turn, state, case, state.data["action_id"])
