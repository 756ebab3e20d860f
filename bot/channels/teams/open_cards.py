"""The card of each personal chat's open question, so that an answer typed instead of pressed closes it in place
the way a press does ("Beantwoord: nee"), and its buttons cannot be pressed later for a question gone by.

Kept in this process only: a typed answer that reaches another process of a shared deployment leaves the old
card as it was, and its buttons then meet the stale-question check as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.dialogue.choices import Synonyms, pick_many, pick_one
from handlers.dialogue.messages import Choice, Reply


@dataclass(frozen=True)
class OpenCard:
    activity_id: str
    choices: tuple[Choice, ...]
    multiple: bool

    def understood(self, text: str, synonyms: Synonyms) -> str | None:
        """The labels of the options a typed text picks, or None when it answers none of them (then the card
        stays: the text was something else, a question may be set aside and answered later)."""
        labels = {choice.key: choice.label for choice in self.choices}
        if self.multiple:
            picked = pick_many(text, self.choices, synonyms)
            return (
                ", ".join(labels[key] for key in picked.keys) if picked.keys and not picked.unknown else None
            )
        key = pick_one(text, self.choices, synonyms)
        return None if key is None else labels[key]


class OpenCards:
    def __init__(self) -> None:
        self._by_conversation: dict[str, OpenCard] = {}

    def sent(self, conversation: str, activity_id: str | None, reply: Reply) -> None:
        """A reply went out; a question with options is the conversation's open card from now on."""
        if reply.choices and activity_id:
            self._by_conversation[conversation] = OpenCard(activity_id, reply.choices, reply.multiple)

    def take(self, conversation: str) -> OpenCard | None:
        """The open card, no longer tracked (it is answered now, by a press or in words)."""
        return self._by_conversation.pop(conversation, None)

    def peek(self, conversation: str) -> OpenCard | None:
        return self._by_conversation.get(conversation)
