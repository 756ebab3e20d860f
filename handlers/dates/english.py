"""English dates for people who chose English: the common forms rewritten into the Dutch ones our reader knows,
so both languages are read by one set of rules (and English users may type the Dutch forms too).

A numeric date is read day-month-year, as everywhere in the Netherlands; from an English user, one that could be
read month-first as well ("03/04") or only month-first ("12/15") is refused as ambiguous instead of guessed.
"""

from __future__ import annotations

import re

_WORDS = {
    "day after tomorrow": "overmorgen",
    "tomorrow morning": "morgenochtend",
    "tomorrow afternoon": "morgenmiddag",
    "tomorrow evening": "morgenavond",
    "tomorrow": "morgen",
    "today": "vandaag",
    "tonight": "vanavond",
    "this afternoon": "vanmiddag",
    "this evening": "vanavond",
    "this morning": "vanochtend",
    "yesterday": "gisteren",
    "christmas": "kerst",
    "new year's eve": "oudjaar",
    "new years eve": "oudjaar",
    "new year": "nieuwjaar",
    "easter": "pasen",
    "king's day": "koningsdag",
    "kings day": "koningsdag",
    "ascension day": "hemelvaart",
    "whitsun": "pinksteren",
    "monday": "maandag", "tuesday": "dinsdag", "wednesday": "woensdag", "thursday": "donderdag",
    "friday": "vrijdag", "saturday": "zaterdag", "sunday": "zondag",
    "mon": "maandag", "tue": "dinsdag", "tues": "dinsdag", "wed": "woensdag", "thu": "donderdag",
    "thur": "donderdag", "thurs": "donderdag", "fri": "vrijdag", "sat": "zaterdag", "sun": "zondag",
    "january": "januari", "february": "februari", "march": "maart", "may": "mei", "june": "juni",
    "july": "juli", "august": "augustus", "october": "oktober",
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "a": "1", "an": "1",
    "days": "dagen", "day": "dag", "weeks": "weken", "week": "week", "months": "maanden", "month": "maand",
    "working days": "werkdagen", "working day": "werkdag", "business days": "werkdagen",
    "a week and a half": "anderhalve week", "one and a half weeks": "anderhalve week",
    "next week": "volgende week", "next month": "volgende maand", "last week": "vorige week",
    "last month": "vorige maand", "this week": "deze week", "this month": "deze maand",
    "next": "komende", "this": "deze", "coming": "komende", "last": "vorige",
    "beginning of": "begin", "start of": "begin", "early": "begin", "end of": "eind", "late": "eind",
    "mid": "half", "middle of": "half",
    "in": "over", "within": "binnen", "after": "na", "before": "voor", "around": "rond",
    "at": "om", "on": "op", "by": "uiterlijk", "the": "de", "until": "tot", "till": "tot", "postpone": "uitstel", "noon": "12:00", "midday": "12:00",
    "morning": "ochtend", "afternoon": "middag", "evening": "avond", "and": "en", "of": "",
    "hours": "uur", "hour": "uur", "minutes": "minuten", "quarter of an hour": "kwartier",
}  # fmt: skip
_WORD = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True)) + r")\b")
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)")
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
_MONTH_FIRST = re.compile(
    r"\b(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec) (\d{1,2})\b(?![:.]\d)"
)
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?(?![\d/.-])")


def _clock(match: re.Match[str]) -> str:
    hour, minute, half = int(match.group(1)), match.group(2) or "00", match.group(3)[0]
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return f"{hour}:{minute}"


def month_first(text: str) -> bool:
    """A numeric date an English reader might mean month-first: refused rather than guessed."""
    for match in _NUMERIC.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if first <= 12 and second <= 12 and first != second or first <= 12 < second:
            return True
    return False


def to_dutch(text: str) -> str:
    """``text`` (folded: lower case, no accents) with its English date words in their Dutch form."""
    text = re.sub(r"\bmid-", "mid ", _CLOCK.sub(_clock, text))
    text = _ORDINAL.sub(r"\1", text)
    text = _WORD.sub(lambda match: _WORDS[match.group(1)], text)
    text = re.sub(
        r"\b(?:komende|volgende) week ((?:maan|dins|woens|donder|vrij|zater|zon)dag)\b",
        r"volgende week \1",
        text,
    )
    text = re.sub(r"\beind (?:de )?maand\b", "eind van de maand", text)
    text = re.sub(r"\beind (?:de )?week\b", "eind van de week", text)
    return re.sub(r"\s+", " ", _MONTH_FIRST.sub(r"\2 \1", text)).strip()
