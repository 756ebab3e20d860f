"""Reading an answer typed in free words: within bounds, and with nothing in it that identifies a person."""

from __future__ import annotations

from handlers.dialogue.turn import Turn
from handlers.identifying.detector import identifying_kinds

MAX_FREE_TEXT = 1000


def read_text(turn: Turn) -> str | None:
    """The message as an answer, or None after telling the person why it cannot be taken."""
    text = turn.incoming.text.strip()
    if len(text) < 2:
        turn.say("form.text_too_short")
        return None
    if len(text) > MAX_FREE_TEXT:
        turn.say("form.text_too_long", limit=MAX_FREE_TEXT)
        return None
    kinds = identifying_kinds(text, turn.now().date())
    if kinds:
        names = ", ".join(turn.t(f"identifying.{kind}") for kind in kinds)
        turn.say("identifying.warning", kinds=names)
        # Where people can delete what they sent (Matrix), the catalogue has a line asking them to.
        delete_request = f"identifying.delete.{turn.incoming.channel}"
        if turn.texts.has(delete_request):
            turn.say(delete_request)
        return None
    return text
