"""The procesregisseur reads the updates on a case, newest first, and marks them read."""

from __future__ import annotations

from handlers.authorization import Access
from handlers.case_lookup import find_case_number, refused_unless_director, say_not_found, visible_case
from handlers.case_picker import PICK, offer_cases, picked_number
from handlers.case_views import feedback_lines
from handlers.messages import DialogueState
from handlers.turn import Turn
from storage import cases, feedback


class UpdatesConversation:
    kind = "updates"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        if refused_unless_director(turn):
            return None
        number = find_case_number(argument)
        if number:
            return await self._show(turn, number)
        mine = await cases.directed_by(turn.session, turn.person.id)
        unread = {case.number: await feedback.unread_count(turn.session, case.id) for case in mine}
        return await offer_cases(
            turn,
            self.kind,
            mine,
            turn.t("updates.pick"),
            "updates.no_cases",
            lambda case: f"{case.number} · {turn.t('status.unread_short', count=unread[case.number])}",
        )

    async def _show(self, turn: Turn, number: str) -> DialogueState | None:
        found = await visible_case(turn, number, Access.FULL, "feedback.read")
        if found is None:
            say_not_found(turn, number)
            return None
        case = found[0]
        items = await feedback.for_case(turn.session, case.id)
        if not items:
            turn.say("updates.none", number=case.number)
            return None
        title = turn.t("updates.title", number=case.number)
        turn.say_lines([title, *await feedback_lines(turn, [(item, case.number) for item in items])])
        if all(item.read_at is not None for item in items):
            return None
        state = DialogueState(self.kind, "mark", {"number": case.number})
        turn.offer(state, turn.t("updates.mark_prompt"), turn.yes_no())
        return state

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        if state.step == PICK:
            number = picked_number(turn, state)
            return state if number is None else await self._show(turn, number)
        answer = turn.picked(state)
        if answer is None:
            turn.reoffer(state)
            return state
        if answer == "ja":
            found = await visible_case(turn, state.data["number"], Access.FULL, "feedback.mark_read")
            if found is not None:
                count = await feedback.mark_read(turn.session, found[0].id, turn.now())
                turn.say("updates.marked", count=count)
                return None
        turn.say("common.ok")
        return None
