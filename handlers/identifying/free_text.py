"""Reading an answer typed in free words: within bounds, and with nothing in it that identifies a person.

A message whose only identifying data is a name is offered back without the name ("Zal ik het zo versturen?"),
so a person who wrote "meneer Bakker wil geen hulp" need not type it again. The names of registered
professionals and organisations are not a client's name and pass ("ik heb met Petra Jansen gebeld").
"""

from __future__ import annotations

from typing import Any

from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn
from handlers.identifying.detector import Scan, scan
from handlers.identifying.names import name_words
from storage import people

MAX_FREE_TEXT = 1000


async def read_text(turn: Turn, state: DialogueState[Any]) -> str | None:
    """The message as an answer, or None after telling the person why it cannot be taken."""
    offered, state.without_name = state.without_name, None
    if offered is not None:
        said = turn.pick(turn.yes_no())
        if said == "ja":
            return offered
        if said == "nee":
            turn.say("identifying.name_not_sent")
            return None
    text = turn.incoming.text.strip()
    if len(text) < 2:
        turn.say("form.text_too_short")
        return None
    if len(text) > MAX_FREE_TEXT:
        turn.say("form.text_too_long", limit=MAX_FREE_TEXT)
        return None
    found = await _without_registered(turn, scan(text, turn.today()))
    if not found.kinds:
        return text
    if found.names_only:
        state.without_name = found.without_names(turn.t("identifying.name_placeholder"))
        turn.say("identifying.name_offer", text=state.without_name)
    else:
        names = ", ".join(turn.t(f"identifying.{kind}") for kind in found.kinds)
        turn.say("identifying.warning", kinds=names)
    # Where people can delete what they sent (Matrix), the catalogue has a line asking them to.
    delete_request = f"identifying.delete.{turn.incoming.channel}"
    if turn.texts.has(delete_request):
        turn.say(delete_request)
    return None


async def _without_registered(turn: Turn, found: Scan) -> Scan:
    """The scan without the names of registered people and organisations; the store is read only when a name
    was found."""
    if not found.names:
        return found
    colleagues, organisations = await people.registered_names(turn.session)
    organisation_words = frozenset(word for name in organisations for word in name_words(name))
    return found.without_known([name_words(name) for name in colleagues], organisation_words)
