"""Actiehouders and deelnemers: my open actions (done / update / postpone), or the action list of a case.

A reminder opens the same 'what' question, so it can be answered in the conversation it arrived in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from config.catalogue import Catalogue
from handlers import recipients, reminders
from handlers.authorization import CASE_WORKERS, Access
from handlers.cases.lookup import (
    case_or_not_found,
    find_case_number,
)
from handlers.cases.posting import CONCERN, TEXT, ask_text, on_concern, on_text
from handlers.cases.views import action_line, action_list_lines, action_names
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import choose
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.date_step import DateStep
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.notice_kind import NoticeKind, OfAction
from storage import actions, cases
from storage.models import Action, ActionStatus, Case

KIND = "actions"
# The procesregisseur hears what a holder did with their action.
ACTION_DONE = NoticeKind("action_done", OfAction)
ACTION_POSTPONED = NoticeKind("action_postponed", OfAction)
NOTICES = (ACTION_DONE, ACTION_POSTPONED)
PICK = "pick"
WHAT = "what"
CHOICES = ("done", "update", "postpone", "later", "back")
# A reminder came unasked: there is nothing to go back to, so it offers no 'terug'; and three options, which Teams
# shows as buttons (more become a list to tick). Asking again later is typed: 'morgen', 'herinner me maandag'.
ANSWERING_A_REMINDER = ("done", "update", "postpone")
POSTPONE = DateStep("postpone", "actions.postpone_prompt")
SNOOZE = DateStep("snooze", "actions.snooze_prompt", "reminder_time", rough=True)
# "herinner me morgen", "later", "snooze until Monday": again then, the deadline stays.
_LATER_PHRASE = re.compile(
    r"^\s*(?:later(?:\s+herinneren)?|herinner\s+(?:me|mij)(?:\s+(?:opnieuw|nog\s+eens))?|remind\s+me(?:\s+again)?)\b"
    r"(?:\s+(?:op|om|tot|on|at|until))?\s*(?P<when>.*)$",
    re.IGNORECASE,
)
# "uitstel tot volgende week dinsdag", "verplaatsen naar vrijdag", "postpone until Monday"
_POSTPONE_PHRASE = re.compile(
    r"^\s*(?:uitstel(?:len)?|verplaats(?:en)?|verzet(?:ten)?|postpone|snooze)\b"
    r"(?:\s+(?:tot en met|tot|naar|until|to))?\s*(?P<when>.*)$",
    re.IGNORECASE,
)


@dataclass
class ActionsState:
    action_id: int | None = None
    text: str | None = None  # an update being written


Actions = DialogueState[ActionsState]
steps: Steps[ActionsState, tuple[Action, Case]] = Steps()


def what_choices(texts: Catalogue, lang: str, keys: tuple[str, ...] = CHOICES) -> list[Choice]:
    return [Choice(key, texts.text(lang, f"actions.choice.{key}")) for key in keys]


def reminder_answer_state(texts: Catalogue, lang: str, action_id: int) -> Actions:
    """The dialogue a delivered reminder leaves open: the holder's next message answers it."""
    choices = tuple(what_choices(texts, lang, ANSWERING_A_REMINDER))
    return DialogueState(KIND, WHAT, ActionsState(action_id), choices, left_by_notice=True)


async def start(turn: Turn, argument: str) -> Actions | None:
    number = find_case_number(argument)
    if number:
        found = await case_or_not_found(turn, number, Access.ACTION_LIST, "actions.view")
        if found is not None:
            turn.say_lines(await action_list_lines(turn, found[0]))
        return None
    mine = await actions.open_for_holder(turn.session, turn.person)
    await turn.audit_shown("actions.list_own", (number for _, number in mine))
    if not mine:
        turn.say("actions.none")
        return None
    state = DialogueState(KIND, PICK, ActionsState())
    known = await action_names(turn, (action for action, _ in mine))
    choices = [Choice(str(action.id), action_line(turn, action, known, number)) for action, number in mine]
    turn.offer(state, turn.t("actions.mine", count=len(mine)), choices)
    return state


async def resume(turn: Turn, state: Actions) -> Actions | None:
    if state.step == PICK:
        picked = choose(turn, state)
        if picked is None:
            return state
        state.data.action_id = int(picked)
    loaded = await _load(turn, state.data.action_id)
    if loaded is None:
        turn.say("actions.gone")
        return None
    return await steps.run(turn, state, loaded)


async def _load(turn: Turn, action_id: int | None) -> tuple[Action, Case] | None:
    """The action, only while it is still open and still held by this person."""
    action = await actions.by_id(turn.session, action_id) if action_id is not None else None
    if (
        action is None
        or action.status is not ActionStatus.OPEN
        or not actions.is_held_by(action, turn.person)
    ):
        return None
    case = await cases.by_id(turn.session, action.case_id)
    return None if case is None else (action, case)


@steps(PICK)
async def _on_pick(turn: Turn, state: Actions, loaded: tuple[Action, Case]) -> Actions:
    action, case = loaded
    state.step = WHAT
    turn.offer(
        state,
        turn.t("actions.what", action=f"{case.number} #{action.seq}"),
        what_choices(turn.texts, turn.lang),
    )
    return state


@steps(WHAT)
async def _on_what(turn: Turn, state: Actions, loaded: tuple[Action, Case]) -> Actions | None:
    said = _POSTPONE_PHRASE.match(turn.incoming.text)
    if said and said.group("when"):
        state.step = POSTPONE.name
        moment = POSTPONE.handle(
            turn, state, said.group("when"), lambda when: _not_later(turn, state, loaded, when)
        )
        return await _postponed(turn, state, loaded, moment) if isinstance(moment, datetime) else state
    later = _LATER_PHRASE.match(turn.incoming.text)
    if later and later.group("when"):
        return await _snooze_from(turn, state, loaded, later.group("when"))
    if not said and not later and turn.picked(state) is None and SNOOZE.reads(turn, turn.incoming.text):
        return await _snooze_from(turn, state, loaded, turn.incoming.text)  # a bare "morgen" at the reminder
    choice = "postpone" if said else "later" if later else choose(turn, state)
    if choice == "later":
        SNOOZE.ask(turn, state)
        return state
    if choice == "postpone":
        POSTPONE.ask(turn, state)
        return state
    if choice == "update":
        return ask_text(turn, state)
    if choice == "done":
        await _mark_done(turn, *loaded)
        return None
    if choice == "back":
        turn.say("common.ok")
        return None
    return state


async def _mark_done(turn: Turn, action: Action, case: Case) -> None:
    actions.complete(action, turn.now())
    await reminders.cancel_action(turn, action)
    await turn.audit("action.done", case.number)
    for recipient in recipients.director(case):
        await turn.notify(recipient, ACTION_DONE, case.number, OfAction(action.seq))
    turn.say("actions.marked_done", action=f"{case.number} #{action.seq}")


async def _postponed(
    turn: Turn, state: Actions, loaded: tuple[Action, Case], moment: datetime | None
) -> Actions | None:
    """A new deadline, confirmed in full; the reminders follow it and the procesregisseur hears of it."""
    action, case = loaded
    if moment is None:
        return state
    action.deadline = moment
    await reminders.replan_action(turn, case, action)
    await turn.audit("action.postpone", case.number)
    for recipient in recipients.director(case, besides=turn.person.id):
        await turn.notify(recipient, ACTION_POSTPONED, case.number, OfAction(action.seq))
    when = long_date(turn.texts, turn.lang, moment, turn.tz, with_time=True)
    turn.say("actions.postponed", action=f"{case.number} #{action.seq}", when=when)
    return None


def _not_later(turn: Turn, state: Actions, loaded: tuple[Action, Case], moment: datetime) -> str | None:
    """Uitstel moves the deadline later: one that moves nothing, or brings it forward, is refused as read."""
    action = loaded[0]
    if moment > action.deadline:
        return None
    return turn.t(
        "actions.postpone_not_later",
        when=long_date(turn.texts, turn.lang, action.deadline, turn.tz, with_time=True),
    )


steps.date(POSTPONE, _postponed, _not_later)


async def _snooze_from(
    turn: Turn, state: Actions, loaded: tuple[Action, Case], phrase: str
) -> Actions | None:
    state.step = SNOOZE.name
    moment = SNOOZE.handle(turn, state, phrase)
    return await _snoozed(turn, state, loaded, moment) if isinstance(moment, datetime) else state


async def _snoozed(
    turn: Turn, state: Actions, loaded: tuple[Action, Case], moment: datetime | None
) -> Actions | None:
    """Reminded again at ``moment``; the deadline, and the reminders planned for it, stay as they are."""
    action, case = loaded
    if moment is None:
        return state
    reference = OfAction(action.seq)
    await turn.notify(
        turn.person.id, reminders.ACTION_SNOOZED, case.number, reference, at=moment, action_id=action.id
    )
    await turn.audit("action.snooze", case.number)
    when = long_date(turn.texts, turn.lang, moment, turn.tz, with_time=True)
    deadline = long_date(turn.texts, turn.lang, action.deadline, turn.tz, with_time=True)
    turn.say("actions.snoozed", action=f"{case.number} #{action.seq}", when=when, deadline=deadline)
    return None


steps.date(SNOOZE, _snoozed)


@steps(TEXT)
async def _on_text(turn: Turn, state: Actions, loaded: tuple[Action, Case]) -> Actions:
    return await on_text(turn, state)


@steps(CONCERN)
async def _on_concern(turn: Turn, state: Actions, loaded: tuple[Action, Case]) -> Actions | None:
    action, case = loaded
    return await on_concern(turn, state, case, action.id)


CONVERSATION = Conversation(KIND, CASE_WORKERS, ActionsState, start, resume, browsing=frozenset({PICK}))
