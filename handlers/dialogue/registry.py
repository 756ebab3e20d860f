"""The conversations by kind, and what is built from them: the help text and the entry words."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from config.catalogue import Catalogue
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.turn import Turn

# Words the dispatcher itself answers, in every dialogue: they are no conversation of their own.
STOP = "stop"
RESUME = "resume"  # 'verder': take up again the dialogue set aside when another job began
BACK = "back"  # 'terug': the question before, as it was asked, with what was answered since undone


class Registry:
    def __init__(self, conversations: Iterable[Conversation[Any]]) -> None:
        self._by_kind: dict[str, Conversation[Any]] = {}
        for conversation in conversations:
            if conversation.kind in self._by_kind or conversation.kind in (STOP, RESUME, BACK):
                raise ValueError(f"conversation kind {conversation.kind!r} is declared twice")
            self._by_kind[conversation.kind] = conversation

    def __iter__(self) -> Iterator[Conversation[Any]]:
        return iter(self._by_kind.values())

    def get(self, kind: str) -> Conversation[Any] | None:
        return self._by_kind.get(kind)

    def entry_words(self, texts: Catalogue) -> dict[str, tuple[str, ...]]:
        """Every kind's entry words (and the stop words) in all languages at once: people mix them."""
        kinds = [*self._by_kind, STOP, RESUME, BACK]
        return {
            kind: tuple(
                word for language in texts.languages for word in texts.words(language, f"entry.{kind}")
            )
            for kind in kinds
        }

    def examples(self, turn: Turn, shown: int = 4) -> str:
        """A few things this person may start, as words to type ('check', 'aanmelden', 'acties' of 'status'),
        for the answer to a message that started nothing: only what their role allows."""
        words = [
            turn.texts.words(turn.lang, f"entry.{conversation.kind}")[0]
            for conversation in self
            if conversation.kind not in ("help", "language") and conversation.rule.allows(turn.person)
        ][:shown]
        quoted = [f"'{word}'" for word in words]
        if len(quoted) < 2:
            return "".join(quoted)
        return turn.t("common.list_or", first=", ".join(quoted[:-1]), last=quoted[-1])

    def help_lines(self, turn: Turn) -> list[str]:
        """What this person may start, one line each, and how to stop."""
        keys = [key for conversation in self for key in conversation.help_for(turn.person)]
        return [turn.t(key) for key in [*keys, "help.stop"]]
