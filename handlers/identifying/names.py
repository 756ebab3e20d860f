"""Finding the names of persons in a message, where they stand, so a name can be refused or left out.

Names are recognised by their Dutch forms: a title or salutation before a name ("meneer Bakker", "mw. De
Vries", "dhr. J. Jansen"), initials before a surname ("J. de Vries"), a family word before a first name ("zoon
Mohammed"), a first name with a tussenvoegsel and surname ("Jan de Vries"), and a known first name before a
capitalised surname ("Jan Bakker"; the first names are in ``config/first_names.txt``). Two capitalised words alone
("Wijkteam Noord", "Leger des Heils") and a first name alone are not taken for a name: the first would refuse
every organisation, the second every colleague mentioned by first name.

Each name knows its own words, so the names of registered professionals can be let through ("ik heb met Petra
Jansen gebeld"), except after a family word: "zoon Mohammed" is nobody's colleague.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from config.files import ConfigError, data_file
from handlers.identifying.streets import STREET_SUFFIX

_PARTICLES = ("van", "de", "der", "den", "ten", "ter", "te", "het", "el", "al", "bin", "ben")
_PARTICLE = rf"(?:(?i:{'|'.join(_PARTICLES)})\s+)"
_SURNAME = r"[A-Z][a-zà-ÿ'-]{1,}"
_TITLES = r"meneer|mevrouw|mevr\.?|mw\.?|mr\.|dhr\.?|de heer|juffrouw|M(?:r|rs|s)\.?"
_FAMILY = (
    "zoon|zoontje|dochter|dochtertje|moeder|vader|broer|zus|zusje|oma|opa|partner|vriend|vriendin|ex|"
    "stiefvader|stiefmoeder|neef|nicht|oom|tante"
)
_STREET_NAME = re.compile(rf"(?:{STREET_SUFFIX})$", re.IGNORECASE)
# Capitalised words that make a match no person's name: the rest of an ordinary sentence, an institution
# ("Ministerie van Justitie", "Gemeente Den Haag", "Huis van Bewaring"), or a day or month ("Jan Maandag").
_NOT_A_NAME = {
    "De", "Het", "Een", "En", "Is", "Heeft", "Wil", "Gaat", "Van", "Gemeente", "Wijkteam", "Politie", "Ministerie",
    "Huis", "Raad", "Leger", "Stichting", "Centrum", "Bureau", "Dienst", "Provincie", "Rechtbank", "Zorg", "Laan",
    "Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag", "Zaterdag", "Zondag", "Januari", "Februari", "Maart",
    "Veilig", "April", "Mei", "Juni", "Juli", "Augustus", "September", "Oktober", "November", "December",
}  # fmt: skip


@dataclass(frozen=True)
class Name:
    """A name in the (normalised) text: ``start``..``end`` is the name itself, without a title or family word
    before it; ``words`` are its own words in lower case (no initials or tussenvoegsels); ``relative`` says it
    followed a family word."""

    start: int
    end: int
    words: frozenset[str]
    relative: bool

    def is_known(self, colleagues: Iterable[frozenset[str]], organisations: frozenset[str]) -> bool:
        """A registered professional's name, or a first name with a registered organisation's ("Petra van
        Humanitas"): all its words belong to one professional's name once the organisation's words are left out,
        or what is left is one first name. Never after a family word: "zoon Mohammed" is nobody's colleague."""
        if self.relative:
            return False
        own = self.words - organisations
        if own != self.words and len(own) == 1 and own <= _first_names_lower():
            return True
        return any(own <= colleague for colleague in colleagues)


def name_words(full_name: str) -> frozenset[str]:
    """The words a name is recognised by: in lower case, without initials and tussenvoegsels."""
    return frozenset(
        word.lower()
        for word in re.findall(r"[^\W\d_][\w'-]*", full_name)
        if word.lower() not in _PARTICLES and len(word) > 1
    )


def first_names() -> frozenset[str]:
    """The first names of ``first_names.txt`` (the ZVH's own list where it has one), as written there."""
    return _names_in(data_file("first_names.txt"))


def _first_names_lower() -> frozenset[str]:
    return _lower(data_file("first_names.txt"))


@cache
def _names_in(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


@cache
def _lower(path: Path) -> frozenset[str]:
    return frozenset(name.lower() for name in _names_in(path))


_FORMS = (
    (re.compile(rf"\b(?:{_TITLES})\s+(?P<name>(?:[A-Z]\.\s*)*{_PARTICLE}*{_SURNAME})"), False),
    (re.compile(rf"\b(?P<name>(?:[A-Z]\.\s?){{1,3}}\s?{_PARTICLE}*[A-Z][a-zà-ÿ]{{2,}})"), False),
    (re.compile(rf"\b(?:{_FAMILY})\s+(?P<name>{_SURNAME})"), True),
    (re.compile(rf"\b(?P<name>[A-Z][a-zà-ÿ]+\s+{_PARTICLE}+{_SURNAME})"), False),
)
_CAPITALISED = re.compile(r"\b[A-Z][a-zà-ÿ]+")
# What follows a known first name to make it a name: a surname, perhaps after tussenvoegsels ("Jan Bakker").
_AFTER_FIRST_NAME = re.compile(rf"\s+{_PARTICLE}*{_SURNAME}")


def find_names(text: str) -> list[Name]:
    """Every name in the text, in order, overlapping finds merged into one."""
    found: list[Name] = []
    for pattern, relative in _FORMS:
        for match in pattern.finditer(text):
            if _is_name(text, match):
                start, end = match.span("name")
                found.append(Name(start, end, name_words(match["name"]), relative))
    known = first_names()
    # Each capitalised word is looked up (one set lookup) rather than matched against an alternation of every
    # first name, which costs ten times as much on a long message.
    for word in _CAPITALISED.finditer(text):
        rest = _AFTER_FIRST_NAME.match(text, word.end()) if word.group(0) in known else None
        if rest is not None and _is_name(text, rest, first=word.group(0)):
            found.append(Name(word.start(), rest.end(), name_words(text[word.start() : rest.end()]), False))
    return _merged(sorted(found, key=lambda name: name.start))


def _is_name(text: str, match: re.Match[str], first: str = "") -> bool:
    words = [first, *match.group(0).split()] if first else match.group(0).split()
    street = _STREET_NAME.search(words[-1]) and re.match(r"\s+\d", text[match.end() :])
    return not {words[0].strip("."), words[-1].strip(".")} & _NOT_A_NAME and not street


def _merged(names: list[Name]) -> list[Name]:
    merged: list[Name] = []
    for name in names:
        if merged and name.start < merged[-1].end:
            last = merged.pop()
            name = Name(
                last.start,
                max(last.end, name.end),
                last.words | name.words,
                last.relative or name.relative,
            )
        merged.append(name)
    return merged


def without_names(text: str, names: Iterable[Name], placeholder: str) -> str:
    """The text with each name replaced by ``placeholder``."""
    kept, position = [], 0
    for name in names:
        kept += [text[position : name.start], placeholder]
        position = name.end
    return "".join([*kept, text[position:]])
