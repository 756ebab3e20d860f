"""Switching between Dutch and English: saved at once, and the answer already comes in the new language."""

from __future__ import annotations

from dataclasses import replace

from handlers.authorization import ANYONE
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.state import NoState
from handlers.dialogue.turn import Turn
from handlers.plain_text import fold
from storage import people

LANGUAGE_CODES = {"nl": "nl", "nederlands": "nl", "dutch": "nl", "en": "en", "engels": "en", "english": "en"}


async def start(turn: Turn, argument: str) -> None:
    code = LANGUAGE_CODES.get(fold(argument))
    if code is None:
        turn.say("language.usage")
        return
    await people.set_language(turn.session, turn.person.id, code)
    turn.person = replace(turn.person, language=code)
    turn.say("language.set")


CONVERSATION = Conversation("language", ANYONE, NoState, start)
