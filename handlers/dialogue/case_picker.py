"""Choosing a case from a short list, or by typing its number: the first step of several conversations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from handlers.cases.lookup import find_case_number
from handlers.cases.views import state_label
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn
from storage.models import Case

PICK = "pick"
S = TypeVar("S")


async def offer_cases(
    turn: Turn,
    kind: str,
    data: S,
    found: Sequence[Case],
    prompt: str,
    empty_key: str,
    label: Callable[[Case], str] | None = None,
) -> DialogueState[S] | None:
    """Ask which case, or say there is none; the dialogue continues at step PICK with ``data`` as its state.
    Listing is audited."""
    await turn.audit(f"{kind}.list")
    if not found:
        turn.say(empty_key)
        return None
    state = DialogueState(kind, PICK, data)
    describe = label or (lambda case: f"{case.number} · {state_label(turn, case)}")
    turn.offer(state, prompt, [Choice(case.number, describe(case)) for case in found])
    return state


def picked_number(turn: Turn, state: DialogueState[S]) -> str | None:
    """The case number chosen by option or typed out; None (after saying so) when neither."""
    number = turn.picked(state) or find_case_number(turn.incoming.text)
    if number is None:
        turn.reoffer(state)
    return number
