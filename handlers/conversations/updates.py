"""The procesregisseur reads the updates on a case, newest first, and marks them read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from config.catalogue import Catalogue
from handlers.authorization import DIRECTORS, Access
from handlers.cases.lookup import (
    directed_case,
    directed_ids,
    visible_case,
)
from handlers.cases.picker import PICK, CasePick
from handlers.cases.views import feedback_lines
from handlers.dialogue.answers import ask_confirm, choose
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from storage import cases, feedback
from storage.models import Case

KIND = "updates"
MARK = "mark"
READ = "read"


@dataclass
class UpdatesState:
    number: str | None = None


Updates = DialogueState[UpdatesState]
steps: Steps[UpdatesState, None] = Steps()


def read_updates_state(texts: Catalogue, lang: str, number: str) -> Updates:
    """The dialogue an update's notice leaves open for the procesregisseur: one word or button shows it."""
    choices = (Choice("read", texts.text(lang, "updates.read")),)
    return DialogueState(KIND, READ, UpdatesState(number), choices, left_by_notice=True)


@steps(READ)
async def _on_read(turn: Turn, state: Updates, _: None) -> Updates | None:
    if choose(turn, state) is None:
        return state
    return await _show(turn, state.data.number or "")


async def _directed(turn: Turn) -> Sequence[Case]:
    return await cases.directed_by(turn.session, await directed_ids(turn))


async def _with_unread(turn: Turn, found: Sequence[Case]) -> dict[str, str]:
    """Each case offered says how many updates wait unread on it."""
    unread = await feedback.unread_counts(turn.session, [case.id for case in found])
    return {
        case.number: f"{case.number} · {turn.t('status.unread_short', count=unread.get(case.id, 0))}"
        for case in found
    }


async def _show(turn: Turn, number: str) -> Updates | None:
    case = await directed_case(turn, number, "feedback.read")
    if case is None:
        return None
    items = await feedback.for_case(turn.session, case.id)
    if not items:
        turn.say("updates.none", number=case.number)
        return None
    title = turn.t("updates.title", number=case.number)
    turn.say_lines([title, *await feedback_lines(turn, [(item, case.number) for item in items])])
    if all(item.read_at is not None for item in items):
        return None
    state = DialogueState(KIND, MARK, UpdatesState(case.number))
    return ask_confirm(turn, state, MARK, turn.t("updates.mark_prompt"))


@steps(PICK)
async def _on_pick(turn: Turn, state: Updates, _: None) -> DialogueState[Any] | None:
    return await PICKING.picked(turn, state)


PICKING = CasePick(KIND, UpdatesState, _directed, _show, labels=_with_unread)


@steps.on_yes(MARK)
async def _mark_read(turn: Turn, state: Updates, _: None) -> None:
    found = await visible_case(turn, state.data.number or "", Access.FULL, "feedback.mark_read")
    if found is None:  # gone meanwhile (purged): nothing to mark
        turn.say("common.ok")
        return
    count = await feedback.mark_read(turn.session, found[0].id, turn.now())
    turn.say("updates.marked", count=count)


async def resume(turn: Turn, state: Updates) -> Updates | None:
    return await steps.run(turn, state, None)


CONVERSATION = Conversation(KIND, DIRECTORS, UpdatesState, PICKING.start, resume)
