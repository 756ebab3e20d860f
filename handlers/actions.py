"""Actiehouders and deelnemers: my open actions (done / update / postpone), or the action list of a case.

A reminder opens the same 'what' question, so it can be answered in the conversation it arrived in.
"""

from __future__ import annotations

import re
from datetime import datetime

from config.catalogue import Catalogue
from handlers import reminders
from handlers.authorization import Access
from handlers.case_lookup import find_case_number, say_not_found, visible_case
from handlers.case_views import action_line, action_list_lines, action_names
from handlers.date_question import DateStep
from handlers.formatting import long_date
from handlers.messages import Choice, DialogueState
from handlers.posting import ask_text, text_then_concern
from handlers.turn import OFFERED, Turn
from storage import actions, cases
from storage.models import Action, ActionStatus, Case

WHAT = ("done", "update", "postpone", "back")
POSTPONE = DateStep("postpone", "actions.postpone_prompt")
# "uitstel tot volgende week dinsdag", "verplaatsen naar vrijdag", "postpone until Monday"
_POSTPONE_PHRASE = re.compile(
    r"^\s*(?:uitstel(?:len)?|verplaats(?:en)?|verzet(?:ten)?|postpone|snooze)\b"
    r"(?:\s+(?:tot|naar|tot en met|until|to))?\s*(?P<when>.*)$",
    re.IGNORECASE,
)


def what_choices(texts: Catalogue, lang: str) -> list[Choice]:
    return [Choice(key, texts.text(lang, f"actions.choice.{key}")) for key in WHAT]


def reminder_answer_state(texts: Catalogue, lang: str, action_id: int) -> DialogueState:
    """The dialogue a delivered reminder leaves open: the holder's next message answers it."""
    offered = [[choice.key, choice.label] for choice in what_choices(texts, lang)]
    return DialogueState("actions", "what", {"action_id": action_id, OFFERED: offered})


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
                what_choices(turn.texts, turn.lang),
            )
            return state
        if state.step == "what":
            return await self._on_what(turn, state, action, case)
        if POSTPONE.handles(state):
            return await self._on_postpone(turn, state, action, case)
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
        said = _POSTPONE_PHRASE.match(turn.incoming.text)
        if said and said.group("when"):
            state.step = POSTPONE.name
            return await self._on_postpone(turn, state, action, case, said.group("when"))
        choice = "postpone" if said else turn.picked(state)
        if choice == "postpone":
            POSTPONE.ask(turn, state)
            return state
        if choice == "done":
            actions.complete(action, turn.now())
            await reminders.cancel_action(turn, action)
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

    async def _on_postpone(
        self, turn: Turn, state: DialogueState, action: Action, case: Case, text: str | None = None
    ) -> DialogueState | None:
        """A new deadline, confirmed in full; the reminders follow it and the procesregisseur hears of it."""
        moment = POSTPONE.handle(turn, state, text)
        if not isinstance(moment, datetime):
            return state
        action.deadline = moment
        await reminders.replan_action(turn, case, action)
        await turn.audit("action.postpone", case.number)
        if case.procesregisseur_id is not None and case.procesregisseur_id != turn.person.id:
            await turn.notify(case.procesregisseur_id, "action_postponed", case.number, action=action.seq)
        when = long_date(turn.texts, turn.lang, moment, turn.tz, with_time=True)
        turn.say("actions.postponed", action=f"{case.number} #{action.seq}", when=when)
        return None
