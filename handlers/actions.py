"""Actiehouders and deelnemers: my open actions (done / update), or the action list of a case."""

from __future__ import annotations

from handlers.authorization import Access
from handlers.case_lookup import find_case_number, say_not_found, visible_case
from handlers.case_views import action_line, action_list_lines, action_names
from handlers.messages import Choice, DialogueState
from handlers.posting import ask_text, text_then_concern
from handlers.turn import Turn
from storage import actions, cases
from storage.models import Action, ActionStatus, Case

WHAT = ("done", "update", "back")


class ActionsConversation:
    kind = "actions"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        number = find_case_number(argument)
        if number:
            found = await visible_case(turn, number, Access.ACTION_LIST, "actions.view")
            if found is None:
                say_not_found(turn, number)
            else:
                turn.say_lines(await action_list_lines(turn, found[0]))
            return None
        mine = await actions.open_for_holder(turn.session, turn.person)
        await turn.audit("actions.list_own")
        if not mine:
            turn.say("actions.none")
            return None
        state = DialogueState(self.kind, "pick")
        known = await action_names(turn, (action for action, _ in mine))
        choices = [
            Choice(str(action.id), action_line(turn, action, number, known)) for action, number in mine
        ]
        turn.offer(state, turn.t("actions.mine", count=len(mine)), choices)
        return state

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        if state.step == "pick":
            picked = turn.picked(state)
            if picked is None:
                turn.reoffer(state)
                return state
            state.data["action_id"] = int(picked)
        loaded = await self._load(turn, state.data["action_id"])
        if loaded is None:
            turn.say("actions.gone")
            return None
        action, case = loaded
        if state.step == "pick":
            state.step = "what"
            turn.offer(
                state,
                turn.t("actions.what", action=f"{case.number} #{action.seq}"),
                [Choice(key, turn.t(f"actions.choice.{key}")) for key in WHAT],
            )
            return state
        if state.step == "what":
            return await self._on_what(turn, state, action, case)
        return await text_then_concern(turn, state, case, action.id)

    async def _load(self, turn: Turn, action_id: int) -> tuple[Action, Case] | None:
        """The action, only while it is still open and still held by this person."""
        action = await actions.by_id(turn.session, action_id)
        if (
            action is None
            or action.status is not ActionStatus.OPEN
            or not actions.is_held_by(action, turn.person)
        ):
            return None
        case = await cases.by_id(turn.session, action.case_id)
        return None if case is None else (action, case)

    async def _on_what(
        self, turn: Turn, state: DialogueState, action: Action, case: Case
    ) -> DialogueState | None:
        choice = turn.picked(state)
        if choice == "done":
            actions.complete(action, turn.now())
            await turn.audit("action.done", case.number)
            if case.procesregisseur_id is not None:
                await turn.notify(case.procesregisseur_id, "action_done", case.number, action=action.seq)
            turn.say("actions.marked_done", action=f"{case.number} #{action.seq}")
            return None
        if choice == "update":
            return ask_text(turn, state)
        if choice == "back":
            turn.say("common.ok")
            return None
        turn.reoffer(state)
        return state
