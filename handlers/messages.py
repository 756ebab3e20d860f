"""Platform-neutral messages: what a channel hands in and what it gets back to render."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Incoming:
    """One message from a person, as every channel reports it.

    ``conversation`` identifies the chat (a Matrix room, a Teams conversation, the terminal) so a
    dialogue belongs to one chat; ``private`` tells whether only the bot and this person are in it.
    ``message_id`` is the channel's own id for the message (a Matrix event id), given where the channel may
    deliver the same message twice: the dispatcher then handles it once. ``answers`` is set when the text comes
    from a button or form of an earlier reply: the fingerprint of the question it was shown with, so a button
    on a card whose question has moved on acts no more.
    """

    text: str
    conversation: str
    private: bool
    channel: str
    message_id: str | None = None
    answers: str | None = None


@dataclass(frozen=True)
class Choice:
    """One answer option: ``key`` is what the bot stores, ``label`` what the person reads."""

    key: str
    label: str


@dataclass(frozen=True)
class Reply:
    """One message back. ``choices`` become buttons, choice sets or numbered lines, per channel; ``question`` is
    the fingerprint of the open question they answer (see ``Incoming.answers``)."""

    text: str
    choices: tuple[Choice, ...] = ()
    multiple: bool = False
    question: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "choices": [[choice.key, choice.label] for choice in self.choices],
            "multiple": self.multiple,
            "question": self.question,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        choices = tuple(Choice(key, label) for key, label in data.get("choices", []))
        return cls(data["text"], choices, bool(data.get("multiple", False)), data.get("question"))


@dataclass
class DialogueState:
    """Where a conversation stands; stored between messages so a restart resumes it."""

    kind: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Short and stable for the same question (also after a round trip through the store), different as soon
        as the dialogue moves on."""
        canonical = json.dumps([self.kind, self.step, self.data], sort_keys=True, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]
