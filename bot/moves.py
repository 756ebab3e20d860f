"""How a message moves a dialogue: on to the conversation's next step, back to the question before, and which
stored dialogue is whose; all through the one registry of conversations."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from handlers.conversations import CONVERSATIONS
from handlers.dialogue.messages import Reply
from handlers.dialogue.registry import Registry
from handlers.dialogue.state import DialogueState, OutdatedDialogue, from_stored
from handlers.dialogue.turn import Turn
from storage.dialogues import StoredDialogue

REGISTRY = Registry(CONVERSATIONS)


def state_of(stored: StoredDialogue) -> DialogueState[Any]:
    """The stored dialogue with its conversation's typed state; OutdatedDialogue where it no longer fits."""
    conversation = REGISTRY.get(stored.kind)
    if conversation is None:
        raise OutdatedDialogue(stored.kind)
    return from_stored(stored.kind, stored.step, stored.data, conversation.state)


def with_question(replies: list[Reply], state: DialogueState[Any] | None) -> list[Reply]:
    """The last reply that offers choices is the open question: it carries the question's fingerprint, so a
    channel can tell a button pressed on it from one pressed on an older card. An earlier reply of the turn that
    offers the same options (a wrong answer told before the question is asked again) shows them no more: the
    options stand once, under the question."""
    if state is None or not replies or not replies[-1].choices:
        return replies
    last = replies[-1]
    told = [replace(reply, choices=()) if reply.choices == last.choices else reply for reply in replies[:-1]]
    return [*told, replace(last, question=state.fingerprint())]


async def go_on(turn: Turn, state: DialogueState[Any]) -> DialogueState[Any] | None:
    """The message goes to the dialogue; where it moved the dialogue on, 'terug' comes back here."""
    conversation = REGISTRY.get(state.kind)
    if conversation is None:
        raise OutdatedDialogue(state.kind)
    before, history, fingerprint = state.snapshot(), list(state.earlier), state.fingerprint()
    after = await conversation.resume(turn, state)
    if after is not None and after.kind == state.kind:
        after.went_on_from(before, history, fingerprint)
    return after


def go_back(turn: Turn, state: DialogueState[Any] | None) -> DialogueState[Any] | None:
    """The question before the open one, as it was asked, with the answers given since undone (nothing in
    the store is: a dialogue writes when it is confirmed)."""
    conversation = REGISTRY.get(state.kind) if state is not None else None
    if state is None or conversation is None:
        turn.say("dialogue.back_none")
        return None
    if not state.earlier:
        turn.say("dialogue.back_first")
        turn.replies += [Reply.from_json(state.asked)] if state.asked is not None else []
        return state
    place = state.earlier[-1]
    previous = from_stored(state.kind, place["step"], place["stored"], conversation.state)
    previous.earlier = state.earlier[:-1]
    turn.say("dialogue.back")
    turn.replies += [Reply.from_json(previous.asked)] if previous.asked is not None else []
    return previous


def browsing(state: DialogueState[Any]) -> bool:
    conversation = REGISTRY.get(state.kind)
    return conversation is not None and state.step in conversation.browsing


def answers(turn: Turn, state: DialogueState[Any] | None) -> bool:
    """The message picks one of the options the open question offered."""
    return state is not None and bool(state.offered) and turn.picked(state) is not None
