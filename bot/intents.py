"""Recognising what a person wants from the first words of a message."""

from __future__ import annotations

from collections import defaultdict

from handlers.plain_text import fold


class IntentMatcher:
    """Longest entry phrase first, so 'nieuwe aanmeldingen' is intake and not 'aanmelding' plus words.

    A phrase can only match a message that begins with the phrase's first word, so the phrases are kept by their
    first word: a message is compared with the few that begin as it does, not with all two hundred (that scan
    was a noticeable part of handling a message)."""

    def __init__(self, intents: dict[str, tuple[str, ...]]) -> None:
        pairs = [(fold(phrase), intent) for intent, phrases in intents.items() for phrase in phrases]
        by_first_word: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
        for phrase, intent in sorted(pairs, key=lambda pair: len(pair[0]), reverse=True):
            by_first_word[_first_word(phrase)].append((phrase, intent))
        self._phrases = dict(by_first_word)

    def match(self, text: str) -> tuple[str | None, str]:
        """The intent and the rest of the message (its argument), or (None, text)."""
        folded = fold(text)
        for phrase, intent in self._phrases.get(_first_word(folded), ()):
            if folded == phrase:
                return intent, ""
            if folded.startswith(phrase + " "):
                return intent, folded[len(phrase) + 1 :].strip()
        return None, text


def _first_word(folded: str) -> str:
    return folded.partition(" ")[0]
