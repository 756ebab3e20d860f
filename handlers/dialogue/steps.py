"""The one way a stored dialogue is continued: each conversation names its steps in a :class:`Steps` table.

A step receives the turn, the dialogue and the conversation's context (what it loads once before any step, such
as the case being worked on), and returns the dialogue to keep or None when the conversation is over.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from handlers.dialogue.answers import choose, confirmed, is_correction
from handlers.dialogue.date_step import DateStep
from handlers.dialogue.state import DialogueState, OutdatedDialogue
from handlers.dialogue.turn import Turn

S = TypeVar("S")
C = TypeVar("C")
# A step may hand the person on to another conversation, so what it returns is any conversation's state.
Step = Callable[[Turn, DialogueState[S], C], Awaitable["DialogueState[Any] | None"]]
# A step that answers a question with options, called with the key of the option chosen.
Chosen = Callable[[Turn, DialogueState[S], C, str], Awaitable["DialogueState[Any] | None"]]
AfterDate = Callable[[Turn, DialogueState[S], C, "datetime | None"], Awaitable["DialogueState[Any] | None"]]
# Why a date cannot be taken in this dialogue (it must lie after the current deadline, say); None when it can.
DateRefusal = Callable[[Turn, DialogueState[S], C, datetime], "str | None"]


class Steps(Generic[S, C]):
    """A conversation's steps by name."""

    def __init__(self) -> None:
        self._table: dict[str, Step[S, C]] = {}

    def __call__(self, *names: str) -> Callable[[Step[S, C]], Step[S, C]]:
        """Register the decorated function as the step(s) ``names``."""

        def register(step: Step[S, C]) -> Step[S, C]:
            for name in names:
                if name in self._table:
                    raise ValueError(f"step {name!r} is registered twice")
                self._table[name] = step
            return step

        return register

    def choice(self, *names: str) -> Callable[[Chosen[S, C]], Chosen[S, C]]:
        """Register the decorated function as the step(s) ``names``, a question with options: it is called with
        the key of the option chosen, and only then (a typo asked about, or anything else, asks again)."""

        def register(step: Chosen[S, C]) -> Chosen[S, C]:
            async def on_answer(turn: Turn, state: DialogueState[S], context: C) -> DialogueState[Any] | None:
                chosen = choose(turn, state)
                return state if chosen is None else await step(turn, state, context, chosen)

            self(*names)(on_answer)
            return step

        return register

    def date(
        self, question: DateStep, then: AfterDate[S, C], refuse: DateRefusal[S, C] | None = None
    ) -> None:
        """A date question (its own two steps: the date, then its confirmation) followed by ``then`` with the
        confirmed moment, or None where an optional date was skipped; a date ``refuse`` has a reason against is
        refused as soon as it is read, and asked for again."""

        async def on_date(turn: Turn, state: DialogueState[S], context: C) -> DialogueState[Any] | None:
            answer = question.handle(turn, state, refuse=_bound(refuse, turn, state, context))
            if answer is None:
                return state
            return await then(turn, state, context, answer if isinstance(answer, datetime) else None)

        for name in question.steps:
            self(name)(on_date)

    def on_yes(
        self, name: str, no: str = "common.ok", corrects: str | None = None
    ) -> Callable[[Step[S, C]], Step[S, C]]:
        """Register the decorated function as what a yes to the question at step ``name`` does; a no says ``no``
        and ends the conversation with nothing changed, anything else asks the question again. Where the question
        confirms what was typed at step ``corrects``, a new text there is that step's answer: the correction."""

        def register(apply: Step[S, C]) -> Step[S, C]:
            async def on_answer(turn: Turn, state: DialogueState[S], context: C) -> DialogueState[Any] | None:
                if corrects is not None and is_correction(turn, state):
                    state.step = corrects
                    return await self._table[corrects](turn, state, context)
                answer = confirmed(turn, state)
                if answer is None:
                    return state
                if answer:
                    return await apply(turn, state, context)
                turn.say(no)
                return None

            self(name)(on_answer)
            return apply

        return register

    async def run(self, turn: Turn, state: DialogueState[S], context: C) -> DialogueState[Any] | None:
        step = self._table.get(state.step)
        if step is None:
            raise OutdatedDialogue(f"{state.kind}:{state.step}")
        return await step(turn, state, context)


def _bound(
    refuse: DateRefusal[S, C] | None, turn: Turn, state: DialogueState[S], context: C
) -> Callable[[datetime], str | None] | None:
    if refuse is None:
        return None
    return lambda moment: refuse(turn, state, context, moment)
