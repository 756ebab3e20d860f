"""Help that fits the person: the lines of what their role may start, built from the list of conversations; and
the answer to a message that starts nothing, with a word of small talk where it was one ('hoi', 'dank je')."""

from __future__ import annotations

from handlers.authorization import ANYONE
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.state import NoState
from handlers.dialogue.turn import Turn
from handlers.plain_text import fold

SMALL_TALK = ("greeting", "thanks", "who")


async def start(turn: Turn, argument: str) -> None:
    turn.say_lines(turn.help_lines(turn))


def not_understood(turn: Turn, examples: str) -> None:
    """A greeting, thanks or 'wie ben jij' gets a short friendly answer; anything else that starts nothing says
    so. Both end with what this person may do (``examples``, from the registry)."""
    said = fold(turn.incoming.text)
    for kind in SMALL_TALK:
        if any(
            said == fold(word)
            for language in turn.texts.languages
            for word in turn.texts.words(language, f"smalltalk.{kind}")
        ):
            turn.say(f"smalltalk.{kind}_reply", examples=examples)
            return
    turn.say("input.unknown", examples=examples)


CONVERSATION = Conversation("help", ANYONE, NoState, start, help_keys=lambda person: ("help.title",))
