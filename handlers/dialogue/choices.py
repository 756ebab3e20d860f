"""Reading a typed answer to a question with options: by number, key, label, a part of a label ("schulden" in
"financiën / schulden"), a synonym from the catalogue ("justitie", "GGZ"), or an unambiguous start of a label; a
small typo is matched only where the caller says it will tell the person what it understood."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from handlers.dialogue.messages import Choice, Incoming, numbered
from handlers.plain_text import fold

# Another word for an option, mapped to the keys of the options it may mean (only an offered one is taken).
Synonyms = Mapping[str, Collection[str]]
_SEPARATORS = r",|;|\s+en\s+|\s+and\s+|\s+(?=\d)"


def _names(choice: Choice) -> set[str]:
    """Everything an option is called: its key, its label and each part of a label like 'wonen / huisvesting'."""
    label = fold(choice.label)
    return {fold(choice.key), label, *(fold(part) for part in label.split("/") if fold(part))}


def pick_one(text: str, choices: Sequence[Choice], synonyms: Synonyms | None = None) -> str | None:
    """The key of the option the person meant, or None when it matches none of them."""
    answer = fold(text)
    if answer.isdigit():
        return next((choice.key for number, choice in numbered(choices) if number == int(answer)), None)
    for choice in choices:
        if answer in _names(choice):
            return choice.key
    meant = [choice.key for choice in choices if choice.key in (synonyms or {}).get(answer, ())]
    if len(meant) == 1:
        return meant[0]
    prefixed = (
        [choice.key for choice in choices if any(name.startswith(answer) for name in _names(choice))]
        if len(answer) >= 3
        else []
    )
    return prefixed[0] if len(prefixed) == 1 else None


def close_one(text: str, choices: Sequence[Choice], synonyms: Synonyms | None = None) -> str | None:
    """The one option a small typo most likely meant ('verslavnig'), or None; for callers that say it back."""
    answer = fold(text)
    if len(answer) < 4:
        return None
    names: dict[str, set[str]] = {}
    for choice in choices:
        for name in _names(choice):
            names.setdefault(name, set()).add(choice.key)
    for word, keys in (synonyms or {}).items():
        for choice in choices:
            if choice.key in keys:
                names.setdefault(word, set()).add(choice.key)
    close = difflib.get_close_matches(answer, [name for name in names if len(name) >= 4], n=3, cutoff=0.8)
    meant = {key for name in close for key in names[name]}
    return meant.pop() if len(meant) == 1 else None


@dataclass
class ManyPicked:
    """The options several answers named, the ones read through a typo, and the parts that named none."""

    keys: list[str] = field(default_factory=list)
    loosely: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def add(self, key: str) -> None:
        if key not in self.keys:
            self.keys.append(key)


def pick_many(
    text: str, choices: Sequence[Choice], synonyms: Synonyms | None = None, loosely: bool = False
) -> ManyPicked:
    """Several options separated by commas, 'en' / 'and', or spaces ('zorg straf', '3 4'); with ``loosely``, a
    part with a small typo is read as the option it most likely meant."""
    picked = ManyPicked()
    for part in (part.strip() for part in re.split(_SEPARATORS, text) if part.strip()):
        key = pick_one(part, choices, synonyms)
        words = part.split()
        if key is None and len(words) > 1:
            # 'wonen psychsch veiligheid': each word an option of its own, a typo read as such where allowed.
            exact = [pick_one(word, choices, synonyms) for word in words]
            read = [
                found or (close_one(word, choices, synonyms) if loosely else None)
                for word, found in zip(words, exact, strict=True)
            ]
            if all(read):
                for found, meant in zip(exact, read, strict=True):
                    if found is None:
                        picked.loosely.append(str(meant))
                    picked.add(str(meant))
                continue
        if key is None and loosely and (key := close_one(part, choices, synonyms)) is not None:
            picked.loosely.append(key)
        if key is None:
            picked.unknown.append(part)
        else:
            picked.add(key)
    return picked


def read_one(incoming: Incoming, choices: Sequence[Choice], synonyms: Synonyms | None = None) -> str | None:
    """The option a message answers: a pressed button by its key (an option no longer offered answers nothing),
    typed text as ``pick_one`` reads it."""
    if incoming.keys is None:
        return pick_one(incoming.text, choices, synonyms)
    offered = {choice.key for choice in choices}
    return incoming.keys[0] if len(incoming.keys) == 1 and incoming.keys[0] in offered else None


def read_many(
    incoming: Incoming, choices: Sequence[Choice], synonyms: Synonyms | None = None, loosely: bool = False
) -> ManyPicked:
    """The options a message answers: a sent choice set by its keys, typed text as ``pick_many`` reads it."""
    if incoming.keys is None:
        return pick_many(incoming.text, choices, synonyms, loosely)
    offered = {choice.key for choice in choices}
    picked = ManyPicked(unknown=[key for key in incoming.keys if key not in offered])
    for key in incoming.keys:
        if key in offered:
            picked.add(key)
    return picked
