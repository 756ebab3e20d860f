"""Help that fits the person: the lines of what their role may start, built from the list of conversations."""

from __future__ import annotations

from handlers.authorization import ANYONE
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.state import NoState
from handlers.dialogue.turn import Turn


async def start(turn: Turn, argument: str) -> None:
    turn.say_lines(turn.help_lines(turn))


CONVERSATION = Conversation("help", ANYONE, NoState, start, help_keys=lambda person: ("help.title",))
