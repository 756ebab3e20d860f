"""Recognising what a person wants from the first words of a message."""

from __future__ import annotations

from handlers.plain_text import fold


class IntentMatcher:
    """Longest entry phrase first, so 'nieuwe aanmeldingen' is intake and not 'aanmelding' plus words."""

    def __init__(self, intents: dict[str, tuple[str, ...]]) -> None:
        pairs = [(fold(phrase), intent) for intent, phrases in intents.items() for phrase in phrases]
        self._phrases = sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)

    def match(self, text: str) -> tuple[str | None, str]:
        """The intent and the rest of the message (its argument), or (None, text)."""
        folded = fold(text)
        for phrase, intent in self._phrases:
            if folded == phrase:
                return intent, ""
            if folded.startswith(phrase + " "):
                return intent, folded[len(phrase) + 1 :].strip()
        return None, text
