"""Platform-neutral messages: what a channel hands in and what it gets back to render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Incoming:
    """One message from a person, as every channel reports it.

    ``conversation`` identifies the chat (a Matrix room, a Teams conversation, the terminal) so a
    dialogue belongs to one chat; ``private`` tells whether only the bot and this person are in it.
    ``message_id`` is the channel's own id for the message (a Matrix event id), given where the channel may
    deliver the same message twice: the dispatcher then handles it once.
    """

    text: str
    conversation: str
    private: bool
    channel: str
    message_id: str | None = None


@dataclass(frozen=True)
class Choice:
    """One answer option: ``key`` is what the bot stores, ``label`` what the person reads."""

    key: str
    label: str


@dataclass(frozen=True)
class Reply:
    """One message back. ``choices`` become buttons, choice sets or numbered lines, per channel."""

    text: str
    choices: tuple[Choice, ...] = ()
    multiple: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "choices": [[choice.key, choice.label] for choice in self.choices],
            "multiple": self.multiple,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        choices = tuple(Choice(key, label) for key, label in data.get("choices", []))
        return cls(data["text"], choices, bool(data.get("multiple", False)))


@dataclass
class DialogueState:
    """Where a conversation stands; stored between messages so a restart resumes it."""

    kind: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)
