"""Reading a typed answer to a question with options: by number, key, label or synonym."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from handlers.dialogue.messages import Choice, numbered


def fold(text: str) -> str:
    """Lower case without accents or surrounding punctuation, so 'Financiën.' matches 'financien'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain).strip(" .,!?;:'\"")


def pick_one(text: str, choices: Sequence[Choice], synonyms: dict[str, str] | None = None) -> str | None:
    """The key of the option the person meant, or None when it matches none of them."""
    answer = fold(text)
    if answer.isdigit():
        return next((choice.key for number, choice in numbered(choices) if number == int(answer)), None)
    for choice in choices:
        if answer in (fold(choice.key), fold(choice.label)):
            return choice.key
    mapped = (synonyms or {}).get(answer)
    if mapped and any(choice.key == mapped for choice in choices):
        return mapped
    prefixed = (
        [choice.key for choice in choices if fold(choice.label).startswith(answer)]
        if len(answer) >= 3
        else []
    )
    return prefixed[0] if len(prefixed) == 1 else None


def pick_many(
    text: str, choices: Sequence[Choice], synonyms: dict[str, str] | None = None
) -> list[str] | None:
    """Several options separated by commas, 'en' / 'and' or spaces between numbers; None if any is unknown."""
    parts = [part for part in re.split(r",|;|\s+en\s+|\s+and\s+|\s+(?=\d)", text) if part.strip()]
    picked: list[str] = []
    for part in parts:
        key = pick_one(part, choices, synonyms)
        if key is None:
            return None
        if key not in picked:
            picked.append(key)
    return picked or None
