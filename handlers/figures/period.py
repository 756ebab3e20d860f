"""Which period figures are asked for: 'cijfers' (this year), '2026', 'Q3', 'Q3 2025', 'november',
'november 2025'; and the dates a report is asked for from the command line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

MONTH = relativedelta(months=1)
_QUARTER = re.compile(r"^(?:q|kwartaal\s*|quarter\s*)([1-4])(?:\s+(\d{4}))?$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^([a-z]+)(?:\s+(\d{4}))?$")


@dataclass(frozen=True)
class Period:
    """From ``first`` up to but not including ``end`` (local dates)."""

    first: date
    end: date

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as moments: local midnight to local midnight."""
        return (datetime.combine(self.first, time(), tz), datetime.combine(self.end, time(), tz))

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        found, month = [], self.first.replace(day=1)
        while month < self.end:
            found.append(month)
            month += MONTH
        return found


def year_of(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1))


def read_period(text: str, today: date, month_names: list[str]) -> Period | None:
    """The period the words name, or None when they name none; a year or quarter without a year is this year's.
    ``month_names`` are the twelve month names in the person's language (and their short forms may be used)."""
    words = " ".join(text.lower().split())
    if not words:
        return year_of(today.year)
    if found := _YEAR.match(words):
        return year_of(int(found[1]))
    if found := _QUARTER.match(words):
        first = date(int(found[2] or today.year), 3 * int(found[1]) - 2, 1)
        return Period(first, first + 3 * MONTH)
    if (found := _MONTH.match(words)) is not None:
        month = next((n for n, name in enumerate(month_names, 1) if name.startswith(found[1][:3])), None)
        if month is None or len(found[1]) < 3:
            return None
        first = date(int(found[2] or today.year), month, 1)
        return Period(first, first + MONTH)
    return None
