"""Spotting identifying data typed into chat, so it is refused before it is stored.

Chat transcripts live outside the ZVH's registration (domain.md Part 2 §3.3): a BSN, phone number,
e-mail address, postcode with house number or a date of birth does not belong in a chat message.
"""

from __future__ import annotations

import re
from datetime import date

_BSN_CANDIDATE = re.compile(r"(?<!\d)(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .-]\d{3}[ .-]\d{3})(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:\+31|0031|0)[ -]?(?:6|[1-9]\d{1,2})(?:[ -]?\d){7,8}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_POSTCODE = re.compile(r"\b[1-9]\d{3} ?[a-zA-Z]{2}\b(?:\s*\d+)?")
_FULL_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")


def passes_eleven_test(digits: str) -> bool:
    """The BSN check: weights 9..2 and -1, the sum divisible by 11."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def _looks_like_birth_date(text: str, today: date) -> bool:
    for day, month, year in _FULL_DATE.findall(text):
        try:
            moment = date(int(year), int(month), int(day))
        except ValueError:
            continue
        if moment.year <= today.year - 10:
            return True
    return False


def identifying_kinds(text: str, today: date) -> list[str]:
    """Which kinds of identifying data the text seems to contain (catalogue keys), in a fixed order."""
    found: list[str] = []
    if any(passes_eleven_test(re.sub(r"\D", "", candidate)) for candidate in _BSN_CANDIDATE.findall(text)):
        found.append("bsn")
    if _PHONE.search(text):
        found.append("phone")
    if _EMAIL.search(text):
        found.append("email")
    if _POSTCODE.search(text):
        found.append("address")
    if _looks_like_birth_date(text, today):
        found.append("birth_date")
    return found
