"""The cards of each personal chat whose questions may still be open, so that a question that ends in any way
(answered by typing, ``stop``, asked again, timed out) closes its card in place the way a press does, keeping its
lines and saying how it ended, and its buttons cannot be pressed later for a question gone by.

Kept in this process only: a turn that reaches another process of a shared deployment leaves the old card as it
was, and its buttons then meet the stale-question check as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.dialogue.choices import Synonyms, pick_many, pick_one
from handlers.dialogue.messages import Choice, Reply

# A question in front and one set aside are open at most; a few more cover replies that raced each other.
KEPT_PER_CHAT = 4


@dataclass(frozen=True)
class OpenCard:
    activity_id: str
    text: str
    choices: tuple[Choice, ...]
    multiple: bool
    question: str | None

    def understood(self, text: str, synonyms: Synonyms) -> str | None:
        """The labels of the options a typed text picks, or None when it answers none of them."""
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
        self._by_conversation: dict[str, list[OpenCard]] = {}

    def sent(self, conversation: str, activity_id: str | None, reply: Reply) -> None:
        """A reply went out; a question with options is one of the conversation's open cards from now on."""
        if not reply.choices or not activity_id:
            return
        card = OpenCard(activity_id, reply.text, reply.choices, reply.multiple, reply.question)
        kept = self._by_conversation.setdefault(conversation, [])
        kept.append(card)
        del kept[:-KEPT_PER_CHAT]

    def pressed(self, conversation: str, question: str | None) -> None:
        """A card of this question was answered by a press: its card is replaced by the answer to the press."""
        kept = self._by_conversation.get(conversation, [])
        kept[:] = [card for card in kept if card.question != question]

    def ended(
        self, conversation: str, still_open: set[str] | None, asked_now: set[str], new: set[str]
    ) -> list[OpenCard]:
        """The cards to close now, of those sent before the ``new`` ones: those whose question is no longer open
        (``still_open`` None: take them all as open), and those whose question is asked again in a new card (its
        options must not stand twice). They are no longer tracked."""
        kept = self._by_conversation.get(conversation, [])
        ending = [
            card
            for card in kept
            if card.activity_id not in new
            and (card.question in asked_now or (still_open is not None and card.question not in still_open))
        ]
        kept[:] = [card for card in kept if card not in ending]
        return ending

    def tracked(self, conversation: str) -> bool:
        return bool(self._by_conversation.get(conversation))
