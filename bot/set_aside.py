"""A dialogue set aside because the person started another job in the middle of it ('status' during the check).

It is kept as a second dialogue row of the same person and conversation, under the conversation's key with
``#aside`` appended: one at a time. When the other job ends the person is told where they were ("U was bezig met
de check, vraag 5 van 11"), 'verder' takes it up again with its question asked anew, and a button of its old card
continues it directly. It goes stale like any dialogue, and 'stop' drops it with the one in front.
"""

from __future__ import annotations

from typing import Any

from handlers.dialogue.messages import Reply
from handlers.dialogue.registry import Registry
from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn

ASIDE_SUFFIX = "#aside"


def aside_key(conversation: str) -> str:
    """Where a conversation's dialogue set aside is kept."""
    return f"{conversation}{ASIDE_SUFFIX}"


def where(turn: Turn, registry: Registry, state: DialogueState[Any]) -> str:
    """What the person was doing, in words: 'de check, vraag 5 van 11'."""
    what = turn.t(f"dialogue.kind.{state.kind}")
    conversation = registry.get(state.kind)
    progress = conversation.progress(turn, state) if conversation and conversation.progress else None
    if progress is None:
        return what
    number, total = progress
    return turn.t("dialogue.progress", what=what, number=number, total=total)


def ask_again(turn: Turn, registry: Registry, state: DialogueState[Any]) -> None:
    """Taking a dialogue up again: where it was, and its open question as it was asked."""
    turn.say("dialogue.resumed", where=where(turn, registry, state))
    if state.asked is not None:
        turn.replies.append(Reply.from_json(state.asked))
    else:  # kept by a version that did not keep the question: its options still answer it
        turn.replies.append(Reply(turn.t("dialogue.answer_again"), state.offered))
