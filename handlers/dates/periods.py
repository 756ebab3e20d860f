"""Dates named by the calendar rather than by number: the Dutch holidays and seasons people plan around ("na de
kerst", "voor Pasen"), parts of a month ("begin januari", "half maart", "eind april"), a weekday some weeks on
("dinsdag over een week", "over 2 weken op donderdag"), and working days ("over 3 werkdagen").

Each reader takes what it recognises out of the phrase (``Take``) and answers a date, looking forward from today
for a deadline or back for a "since" question. The conventions, always confirmed back in full:
- "X over N weken" is the coming X plus N weeks; "over N weken op X" is the X of the week N weeks from now;
- "anderhalve week" is ten days;
- begin / half / eind of a month is its first working day, the 15th, its last day;
- "voor" a holiday is the last working day before it, "na" the first working day after it (after the second day
  where there is one: tweede kerstdag, tweede paasdag, tweede pinksterdag).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from dateutil.easter import easter

Take = Callable[[str], "re.Match[str] | None"]
WorkingDay = Callable[[date], bool]


def weekdays_only(day: date) -> bool:
    return day.weekday() < 5


def _koningsdag(year: int) -> date:
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


# Each named day: its date in a year, and how many days it lasts (kerst has a second day, and so on).
HOLIDAYS: dict[str, tuple[Callable[[int], date], int]] = {
    "kerst": (lambda year: date(year, 12, 25), 2),
    "kerstmis": (lambda year: date(year, 12, 25), 2),
    "oud en nieuw": (lambda year: date(year, 12, 31), 2),
    "oudjaar": (lambda year: date(year, 12, 31), 1),
    "nieuwjaar": (lambda year: date(year, 1, 1), 1),
    "pasen": (lambda year: easter(year), 2),
    "koningsdag": (_koningsdag, 1),
    "hemelvaart": (lambda year: easter(year) + timedelta(days=39), 1),
    "pinksteren": (lambda year: easter(year) + timedelta(days=49), 2),
}
_HOLIDAY_ALT = "|".join(sorted(HOLIDAYS, key=len, reverse=True))


def _step(day: date, direction: int, working: WorkingDay) -> date:
    """The nearest working day from ``day`` on (``day`` itself if it is one), going in ``direction``."""
    while not working(day):
        day += timedelta(days=direction)
    return day


def read_holiday(take: Take, today: date, past: bool, working: WorkingDay) -> date | None:
    """'kerst', 'voor de kerst', 'na Pasen', 'rond Koningsdag': the next (or, looking back, the last) one."""
    match = take(rf"\b(?:(voor|na|met|rond|tijdens) )?(?:de |het )?({_HOLIDAY_ALT})\b")
    if match is None:
        return None
    when, name = match.groups()
    first_of, length = HOLIDAYS[name]
    for year in range(today.year, today.year - 2, -1) if past else range(today.year - 1, today.year + 2):
        first = first_of(year)
        if when == "voor":
            day = _step(first - timedelta(days=1), -1, working)
        elif when == "na":
            day = _step(first + timedelta(days=length), 1, working)
        else:
            day = first
        if (day <= today) if past else (day >= today):
            return day
    return None


def read_month_part(
    take: Take, months: dict[str, int], today: date, past: bool, working: WorkingDay
) -> date | None:
    """'begin januari', 'half maart', 'medio april', 'eind mei 2027'."""
    names = "|".join(sorted(months, key=len, reverse=True))
    match = take(rf"\b(begin|half|medio|midden|eind|einde) (?:van )?({names})(?: (\d{{4}}))?\b")
    if match is None:
        return None
    part, name, year = match.groups()
    month = months[name]

    def in_year(year: int) -> date:
        if part == "begin":
            return _step(date(year, month, 1), 1, working)
        if part in ("half", "medio", "midden"):
            return date(year, month, 15)
        following = date(year + month // 12, month % 12 + 1, 1)
        return following - timedelta(days=1)

    if year:
        return in_year(int(year))
    candidates = [in_year(today.year + offset) for offset in (-1, 0, 1)]
    found = [day for day in candidates if (day <= today if past else day >= today)]
    return (found[-1] if past else found[0]) if found else None


def read_weeks_and_weekday(take: Take, weekdays: dict[str, int], today: date) -> date | None:
    """'dinsdag over een week' (the coming Tuesday, a week on) and 'over 2 weken op donderdag' (the Thursday of
    the week two weeks from now)."""
    names = "|".join(sorted(weekdays, key=len, reverse=True))
    match = take(rf"\bover (\d{{1,2}}) (?:week|weken) (?:op )?({names})\b")
    if match:
        weeks, name = int(match.group(1)), match.group(2)
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
        return monday + timedelta(days=weekdays[name])
    match = take(rf"\b({names}) over (\d{{1,2}}) (?:week|weken)\b")
    if match:
        name, weeks = match.group(1), int(match.group(2))
        coming = today + timedelta(days=(weekdays[name] - today.weekday()) % 7 or 7)
        return coming + timedelta(weeks=weeks)
    return None


def read_working_days(take: Take, today: date, working: WorkingDay) -> date | None:
    """'over 3 werkdagen', 'binnen 5 werkdagen': counted on working days, today not included."""
    match = take(r"\b(?:over|binnen|na) (\d{1,3}) werkdag(?:en)?\b")
    if match is None:
        return None
    day, left = today, int(match.group(1))
    while left:
        day += timedelta(days=1)
        left -= working(day)
    return day


def read_half_weeks(take: Take, today: date) -> date | None:
    """'over anderhalve week': ten days."""
    return today + timedelta(days=10) if take(r"\b(?:over|binnen) anderhalve week\b") else None


Seasons = Mapping[str, Sequence[tuple[date, date]]]


def read_season(take: Take, seasons: Seasons, today: date, past: bool, working: WorkingDay) -> date | None:
    """A school holiday the region configures ('na de zomervakantie', 'voor de herfstvakantie'): its first day,
    the last working day before it, or the first working day after it."""
    if not seasons:
        return None
    names = "|".join(sorted((re.escape(name) for name in seasons), key=len, reverse=True))
    match = take(rf"\b(?:(voor|na|in|tijdens) )?(?:de |het )?({names})\b")
    if match is None:
        return None
    when, name = match.groups()
    days = [
        _step(first - timedelta(days=1), -1, working)
        if when == "voor"
        else _step(last + timedelta(days=1), 1, working)
        if when == "na"
        else first
        for first, last in seasons[name]
    ]
    fitting = sorted(day for day in days if (day <= today if past else day >= today))
    return (fitting[-1] if past else fitting[0]) if fitting else None
