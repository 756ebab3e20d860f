"""What every conversation offers the dispatcher."""

from __future__ import annotations

from typing import Protocol

from handlers.messages import DialogueState
from handlers.turn import Turn


class Conversation(Protocol):
    """A dialogue that can be started by an entry word and resumed from stored state.

    Both methods return the state to store for the next message, or None when the dialogue is over.
    """

    kind: str

    async def start(self, turn: Turn, argument: str) -> DialogueState | None: ...

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None: ...
