"""Reading the answers to the small questions every conversation asks: pick one option, yes or no."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn

S = TypeVar("S")


def choose(turn: Turn, state: DialogueState[Any]) -> str | None:
    """The key of the option the person chose (a small typo is said back); None after showing the options
    again."""
    picked = turn.picked_loosely(state)
    if picked is None:
        turn.reoffer(state)
    return picked


def ask_confirm(turn: Turn, state: DialogueState[S], step: str, text: str) -> DialogueState[S]:
    """Move to ``step``, a yes/no question."""
    state.step = step
    turn.offer(state, text, turn.yes_no())
    return state


def confirmed(turn: Turn, state: DialogueState[Any]) -> bool | None:
    """True for yes, False for no, None (after asking again) for anything else."""
    answer = choose(turn, state)
    return None if answer is None else answer == "ja"


def ask_choice(
    turn: Turn, state: DialogueState[S], step: str, text: str, keys: Sequence[str], labels: str
) -> DialogueState[S]:
    """Move to ``step``, a question whose options are ``keys``, each labelled by the catalogue's
    ``<labels>.<key>``."""
    state.step = step
    turn.offer(state, text, [Choice(key, turn.t(f"{labels}.{key}")) for key in keys])
    return state
