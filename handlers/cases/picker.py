"""Choosing a case from a short list, or by typing its number: the first step of several conversations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from handlers.cases.lookup import find_case_number
from handlers.cases.views import state_label
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState, OutdatedDialogue
from handlers.dialogue.steps import Steps
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


@dataclass(frozen=True)
class CasePick(Generic[S]):
    """How a conversation about one case finds it: a number typed after the entry word goes straight to
    ``begin``; without one the person picks from ``candidates`` (at step PICK, ``picked``), or hears that there
    are none (``<kind>.no_cases``, or ``empty``). The list is asked with ``<kind>.pick``, or ``prompt``; each case
    is shown by number and state, or as ``labels`` says (made for the whole list at once, so one query serves it).

    After the pick, ``resume`` continues the dialogue: each later answer goes to the step at hand in ``steps``
    with the case loaded again by ``load`` (which says the case cannot be found, or is no longer in a state for
    this conversation, and returns None); without ``steps`` the pick is the only step."""

    kind: str
    data: Callable[[], S]
    candidates: Callable[[Turn], Awaitable[Sequence[Case]]]
    begin: Callable[[Turn, str], Awaitable[DialogueState[Any] | None]]
    labels: Callable[[Turn, Sequence[Case]], Awaitable[dict[str, str]]] | None = None
    prompt: Callable[[Turn, Sequence[Case]], str] | None = None
    empty: str | None = None
    load: Callable[[Turn, DialogueState[S]], Awaitable[Case | None]] | None = None
    steps: Steps[S, Case] | None = None

    async def start(self, turn: Turn, argument: str) -> DialogueState[Any] | None:
        number = find_case_number(argument)
        if number:
            return await self.begin(turn, number)
        found = await self.candidates(turn)
        prompt = self.prompt(turn, found) if self.prompt else turn.t(f"{self.kind}.pick")
        made = await self.labels(turn, found) if self.labels else None
        describe = (lambda case: made[case.number]) if made is not None else None
        empty = self.empty or f"{self.kind}.no_cases"
        return await offer_cases(turn, self.kind, self.data(), found, prompt, empty, describe)

    async def picked(self, turn: Turn, state: DialogueState[S]) -> DialogueState[Any] | None:
        """The answer at step PICK: the case chosen or typed, else the list again."""
        number = picked_number(turn, state)
        return state if number is None else await self.begin(turn, number)

    async def resume(self, turn: Turn, state: DialogueState[S]) -> DialogueState[Any] | None:
        """The next answer: the pick at step PICK, else the step at hand with the case as it is now."""
        if state.step == PICK:
            return await self.picked(turn, state)
        if self.steps is None or self.load is None:
            raise OutdatedDialogue(f"{state.kind}:{state.step}")
        case = await self.load(turn, state)
        return None if case is None else await self.steps.run(turn, state, case)
