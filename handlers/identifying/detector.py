"""Spotting identifying data typed into chat, so it is refused before it is stored.

Chat transcripts live outside the ZVH's registration (domain.md Part 2 §3.3): a BSN, an IBAN, a phone number, an
e-mail address, a street address or postcode, a date of birth or a person's name does not belong in a chat
message. The text is normalised first (NFKC, invisible and format characters removed), so what a person sees is
what is checked; BSN and IBAN are validated by python-stdnum (eleven test, mod-97), which keeps case and action
numbers, amounts and dates from raising false alarms.

Names are found by ``handlers.identifying.names``, with where they stand: a message whose only identifying data is
a name can be sent without it, and a registered professional's name is let through.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from stdnum import iban as iban_number
from stdnum.nl import bsn as bsn_number

from handlers.identifying.names import Name, find_names, without_names
from handlers.identifying.streets import STREET_SUFFIX

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4, "apr": 4, "mei": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_BSN_CANDIDATE = re.compile(r"(?<![\d.,-])\d(?:[ .-]?\d){8}(?!\d|[.,]\d)")
# A country code, check digits, then up to 30 letters and digits in groups: tried at every length, longest first,
# since the words after it match the pattern too ("NL91 ABNA 0417 1643 00 staat rood").
_IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}", re.IGNORECASE)
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)31[\s.-]?(?:\(0\)[\s.-]?)?|\(?0)[1-9](?:[\s.)-]{0,2}\d){7,9}(?![\d])"
)
# Numbers anyone may call or that the bot's texts name: information lines, the emergency and municipal numbers.
_SERVICE_PREFIXES = ("0800", "0900", "0906", "0909", "112", "14")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_POSTCODE = re.compile(r"\b([1-9]\d{3}) ?([A-Za-z]{2})\b")
# Two lower-case letters after four digits that are a Dutch word, not a postcode ("geboren 1975 in Zwolle").
_WORDS_NOT_POSTCODES = {
    "in",
    "en",
    "op",
    "de",
    "te",
    "is",
    "om",
    "al",
    "na",
    "of",
    "nu",
    "er",
    "uw",
    "ik",
    "zo",
}
_STREET = re.compile(
    rf"(?:{STREET_SUFFIX})\s+\d{{1,4}}(?:\s?-?\s?(?:[a-z]{{1,2}}|bis|\d{{1,3}}))?\b"
    rf"|\blaan van \w+\s+\d{{1,4}}\b|\badres\s*:\s*\S+",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"(?<![\d./-])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d|[-/.]\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_WORD_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})(?:e|ste|de)?\s+({_MONTH_ALT})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_BORN = re.compile(r"\b(?:geboren|geb\.|geboortedatum|geb\s*datum|born)\b", re.IGNORECASE)


def normalised(text: str) -> str:
    """As a person sees it: compatibility forms folded (a fullwidth '５' is a 5), invisible characters gone."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")


def passes_eleven_test(digits: str) -> bool:
    """The BSN check (weights 9..2 and -1, the sum divisible by 11), as python-stdnum does it."""
    return digits.isdigit() and bsn_number.is_valid(digits)


def _bsn(text: str) -> bool:
    return any(passes_eleven_test(re.sub(r"\D", "", found)) for found in _BSN_CANDIDATE.findall(text))


def _iban_spans(text: str) -> list[tuple[int, int]]:
    """Where valid IBANs stand in the text."""
    spans = []
    for found in _IBAN_CANDIDATE.finditer(text):
        for end in range(found.end(), found.start() + 14, -1):
            if not text[end - 1].isspace() and iban_number.is_valid(text[found.start() : end]):
                spans.append((found.start(), end))
                break
    return spans


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with these spans blanked, so an IBAN's digits are not read again as a phone number or BSN."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _phone(text: str) -> bool:
    for found in _PHONE_CANDIDATE.finditer(text):
        digits = re.sub(r"\D", "", found.group(0))
        national = "0" + digits[2:].removeprefix("0") if digits.startswith("31") else digits
        national = "0" + digits[4:].removeprefix("0") if digits.startswith("0031") else national
        if len(national) == 10 and not national.startswith(_SERVICE_PREFIXES):
            return True
    return False


def _address(text: str) -> bool:
    if _STREET.search(text):
        return True
    return any(
        letters.isupper() or letters.lower() not in _WORDS_NOT_POSTCODES
        for _, letters in _POSTCODE.findall(text)
    )


def _dates(text: str, today: date) -> list[date]:
    """Every full date in the text (a two-digit year read as in :func:`_full_year`)."""
    found: list[date] = []
    candidates = [(d, m, y) for d, m, y in _NUMERIC_DATE.findall(text)]
    candidates += [(d, m, y) for y, m, d in _ISO_DATE.findall(text)]
    candidates += [(d, str(_MONTHS[m.lower()]), y) for d, m, y in _WORD_DATE.findall(text)]
    for day, month, year in candidates:
        try:
            found.append(date(_full_year(year, today), int(month), int(day)))
        except ValueError:
            continue
    return found


def _full_year(year: str, today: date) -> int:
    """'80' is 1980 and '27' is 2027: a two-digit year up to next year's is this century's."""
    if len(year) == 4:
        return int(year)
    return (2000 if int(year) <= today.year % 100 + 1 else 1900) + int(year)


def _birth_date(text: str, today: date) -> bool:
    """A date after 'geboren' / 'geb.' / 'geboortedatum', or any full date at least ten years back."""
    born = bool(_BORN.search(text))
    for moment in _dates(text, today):
        if born or moment.year <= today.year - 10:
            return True
    return False


@dataclass(frozen=True)
class Scan:
    """What a message holds: ``text`` as normalised, the ``other`` kinds found besides names (catalogue keys, in a
    fixed order) and the ``names`` with where they stand."""

    text: str
    other: tuple[str, ...]
    names: tuple[Name, ...]

    @property
    def kinds(self) -> list[str]:
        return [*self.other, "name"] if self.names else list(self.other)

    @property
    def names_only(self) -> bool:
        """Nothing but names: a message that can be sent without them."""
        return bool(self.names) and not self.other

    def without_known(self, colleagues: Iterable[frozenset[str]], organisations: frozenset[str]) -> Scan:
        """The scan with the names of registered professionals and organisations let through (see
        :meth:`Name.is_known`)."""
        known = list(colleagues)
        return replace(
            self, names=tuple(name for name in self.names if not name.is_known(known, organisations))
        )

    def without_names(self, placeholder: str) -> str:
        return without_names(self.text, self.names, placeholder)


def scan(text: str, today: date) -> Scan:
    """Look for every kind of identifying data in the text."""
    plain = normalised(text)
    ibans = _iban_spans(plain)
    rest = _without(plain, ibans)
    checks = [
        ("bsn", _bsn(rest)),
        ("iban", bool(ibans)),
        ("phone", _phone(rest)),
        ("email", bool(_EMAIL.search(plain))),
        ("address", _address(plain)),
        ("birth_date", _birth_date(plain, today)),
    ]
    return Scan(plain, tuple(kind for kind, present in checks if present), tuple(find_names(plain)))


def identifying_kinds(text: str, today: date) -> list[str]:
    """Which kinds of identifying data the text seems to contain (catalogue keys), in a fixed order."""
    return scan(text, today).kinds
