"""Reading the answers to the small questions every conversation asks: pick one option, yes or no."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

from handlers.dialogue.choices import close_one
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn
from handlers.plain_text import fold

S = TypeVar("S")


def choose(turn: Turn, state: DialogueState[Any]) -> str | None:
    """The key of the option the person chose; None after asking about a likely typo ('Bedoelt u: verslaving?')
    or showing the options again."""
    answer = suggestion_answered(turn, state)
    if answer is not None:
        return answer[0] if answer else None
    picked = turn.picked(state)
    if picked is not None:
        return picked
    meant = (
        None if turn.incoming.keys else close_one(turn.incoming.text, state.offered, turn.texts.synonyms())
    )
    if meant is not None:
        suggest(turn, state, [meant])
    else:
        turn.reoffer(state)
    return None


def suggest(turn: Turn, state: DialogueState[Any], keys: Sequence[str]) -> None:
    """Ask whether a typo meant these options; the question stays open, so another answer works as well."""
    state.suggested = tuple(keys)
    labels = {choice.key: choice.label for choice in state.offered}
    turn.say("form.did_you_mean", labels=", ".join(labels[key] for key in keys))


def suggestion_answered(turn: Turn, state: DialogueState[Any]) -> tuple[str, ...] | None:
    """After 'Bedoelt u: …?': the suggested options on yes, () on no (the options are shown again), and None for
    any other message, which is read as an answer of its own."""
    if not state.suggested:
        return None
    suggested, state.suggested = state.suggested, ()
    said = turn.pick(turn.yes_no())
    if said == "ja":
        return suggested
    if said == "nee":
        turn.reoffer(state)
        return ()
    return None


def ask_confirm(turn: Turn, state: DialogueState[S], step: str, text: str) -> DialogueState[S]:
    """Move to ``step``, a yes/no question."""
    state.step = step
    turn.offer(state, text, turn.yes_no())
    return state


def confirmed(turn: Turn, state: DialogueState[Any]) -> bool | None:
    """True for yes, False for no, None (after asking again) for anything else."""
    answer = choose(turn, state)
    return None if answer is None else answer == "ja"


def is_correction(turn: Turn, state: DialogueState[Any]) -> bool:
    """Whether a message at a yes/no confirmation is rather a new value for what it confirms: typed, not one of
    the options, and not a likely typo of one ('jaa', 'neee' are asked about as usual)."""
    text = turn.incoming.text.strip()
    return not (
        turn.incoming.keys
        or state.suggested
        or len(fold(text)) < 4
        or text.isdigit()
        or turn.picked(state) is not None
        or close_one(text, state.offered, turn.texts.synonyms()) is not None
        or _stretched(text)
        in {_stretched(word) for choice in state.offered for word in (choice.key, choice.label)}
    )


def _stretched(text: str) -> str:
    """A word with its repeated letters taken once: 'neee' and 'jaaa' are 'nee' and 'ja' typed with emphasis."""
    return re.sub(r"(.)\1+", r"\1", fold(text))


def ask_choice(
    turn: Turn, state: DialogueState[S], step: str, text: str, keys: Sequence[str], labels: str
) -> DialogueState[S]:
    """Move to ``step``, a question whose options are ``keys``, each labelled by the catalogue's
    ``<labels>.<key>``."""
    state.step = step
    turn.offer(state, text, [Choice(key, turn.t(f"{labels}.{key}")) for key in keys])
    return state
