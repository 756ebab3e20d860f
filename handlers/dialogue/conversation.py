"""What a conversation declares about itself, so that the dispatcher, the help text and the entry words are all
built from one list (``handlers.conversations``) and nothing can be registered in one place and forgotten in
another.

A conversation's entry words and help line are in the message catalogues under ``entry.<kind>`` and
``help.<kind>``, in every language; a test checks that each declared kind has both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from handlers.authorization import Rule
from handlers.dialogue.state import DialogueState, OutdatedDialogue
from handlers.dialogue.turn import Turn
from storage.people import Person

S = TypeVar("S")
# Starting or continuing one conversation may hand the person on to another (the check to the referral), so
# what they return is any conversation's state.
Start = Callable[[Turn, str], Awaitable["DialogueState[Any] | None"]]
Resume = Callable[[Turn, DialogueState[S]], Awaitable["DialogueState[Any] | None"]]
# Where a long conversation is: (question number, number of questions), for "vraag 5 van 11".
Progress = Callable[[Turn, DialogueState[S]], "tuple[int, int] | None"]


async def _never_stored(turn: Turn, state: DialogueState[Any]) -> None:
    """For conversations that answer at once: a stored state of theirs can only come from another version."""
    raise OutdatedDialogue(state.kind)


@dataclass(frozen=True)
class Conversation(Generic[S]):
    """One thing a person can start: ``kind`` names it (and its catalogue entries), ``rule`` says who may start
    it, ``state`` is the dataclass of its typed state, ``start`` begins it with what followed the entry word,
    ``resume`` continues it from its stored state. Both return the state to keep, or None when it is over.
    ``help_keys`` overrides which help lines a person is shown for it (by default ``help.<kind>``); ``progress``
    says how far a long one has come, for the line that offers to continue it after an interruption. Its name in
    that line is the catalogue's ``dialogue.kind.<kind>``. ``browsing`` names the steps at which it only shows
    something and offers to act on it (a list to pick from, a view's menu): starting something else there drops
    it without a word, as nothing would be lost, instead of setting it aside to be continued."""

    kind: str
    rule: Rule
    state: type[S]
    start: Start
    resume: Resume[S] = _never_stored
    help_keys: Callable[[Person], tuple[str, ...]] | None = None
    progress: Progress[S] | None = None
    browsing: frozenset[str] = frozenset()

    def help_for(self, person: Person) -> tuple[str, ...]:
        if not self.rule.allows(person):
            return ()
        return self.help_keys(person) if self.help_keys else (f"help.{self.kind}",)
