"""The Dutch date layer on a table of phrases as professionals type them, for a fixed 'now'.

Now is Monday 23 November 2026, 10:15 in Amsterdam; the default time for a date alone is 17:00.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.dates.dutch import Problem, parse_dutch_datetime

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=AMS)
DEFAULT = time(17, 0)


def at(year: int, month: int, day: int, hour: int = 17, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


UNDERSTOOD = [
    ("vrijdag", at(2026, 11, 27)),
    ("Vrijdag", at(2026, 11, 27)),
    ("vr", at(2026, 11, 27)),
    ("maandag", at(2026, 11, 30)),
    ("komende vrijdag", at(2026, 11, 27)),
    ("aanstaande dinsdag", at(2026, 11, 24)),
    ("deze woensdag", at(2026, 11, 25)),
    ("volgende week vrijdag", at(2026, 12, 4)),
    ("volgende week vrijdag 14:00", at(2026, 12, 4, 14)),
    ("vrijdag volgende week", at(2026, 12, 4)),
    ("volgende week maandag om 9 uur", at(2026, 11, 30, 9)),
    ("morgen", at(2026, 11, 24)),
    ("morgen om 9 uur", at(2026, 11, 24, 9)),
    ("morgen om 9", at(2026, 11, 24, 9)),
    ("morgen 09.00", at(2026, 11, 24, 9)),
    ("morgen 9:30", at(2026, 11, 24, 9, 30)),
    ("overmorgen", at(2026, 11, 25)),
    ("overmorgen 15 uur", at(2026, 11, 25, 15)),
    ("vandaag", at(2026, 11, 23)),
    ("vandaag 16:00", at(2026, 11, 23, 16)),
    ("vanmiddag", at(2026, 11, 23, 14)),
    ("vanavond", at(2026, 11, 23, 19)),
    ("morgenochtend", at(2026, 11, 24, 9)),
    ("morgenmiddag", at(2026, 11, 24, 14)),
    ("morgenavond", at(2026, 11, 24, 19)),
    ("vrijdagmiddag", at(2026, 11, 27, 14)),
    ("dinsdagochtend 10:00", at(2026, 11, 24, 10)),
    ("vrijdag 's middags", at(2026, 11, 27, 14)),
    ("over een week", at(2026, 11, 30)),
    ("over twee weken", at(2026, 12, 7)),
    ("over 3 dagen", at(2026, 11, 26)),
    ("binnen 3 dagen", at(2026, 11, 26)),
    ("binnen twee weken", at(2026, 12, 7)),
    ("over een maand", at(2026, 12, 23)),
    ("over 2 uur", at(2026, 11, 23, 12, 15)),
    ("15 januari", at(2027, 1, 15)),
    ("15 jan", at(2027, 1, 15)),
    ("15 januari 2027 10:30", at(2027, 1, 15, 10, 30)),
    ("1 december", at(2026, 12, 1)),
    ("1 december 2026 14:00", at(2026, 12, 1, 14)),
    ("di 1 dec", at(2026, 12, 1)),
    ("3 dec om half 10", at(2026, 12, 3, 9, 30)),
    ("15-1", at(2027, 1, 15)),
    ("15/1", at(2027, 1, 15)),
    ("3/10", at(2027, 10, 3)),
    ("30-11", at(2026, 11, 30)),
    ("15-01-2027 10:30", at(2027, 1, 15, 10, 30)),
    ("15-1-27", at(2027, 1, 15)),
    ("15.01.2027", at(2027, 1, 15)),
    ("2027-01-15", at(2027, 1, 15)),
    ("maandag 9.30", at(2026, 11, 30, 9, 30)),
    ("uiterlijk vrijdag", at(2026, 11, 27)),
    ("op 4 december om 14:00", at(2026, 12, 4, 14)),
    ("half 3", at(2026, 11, 23, 14, 30)),
    ("kwart over 2", at(2026, 11, 23, 14, 15)),
    ("kwart voor 3", at(2026, 11, 23, 14, 45)),
    ("10 over half 4", at(2026, 11, 23, 15, 40)),
    ("5 voor 12", at(2026, 11, 23, 11, 55)),
    ("15 uur", at(2026, 11, 23, 15)),
    ("om 4 uur", at(2026, 11, 23, 16)),
    ("eind van de maand", at(2026, 11, 30)),
    ("eind volgende maand", at(2026, 12, 31)),
    ("begin volgende maand", at(2026, 12, 1)),
    ("begin volgende week", at(2026, 11, 30)),
    ("eind volgende week", at(2026, 12, 4)),
    ("eind van de week", at(2026, 11, 27)),
    ("vrijdag 15 januari", at(2027, 1, 15)),
    ("29-2", at(2028, 2, 29)),
]


@pytest.mark.parametrize(("phrase", "expected"), UNDERSTOOD)
def test_phrase_is_read_as_a_dutch_professional_means_it(phrase: str, expected: datetime) -> None:
    reading = parse_dutch_datetime(phrase, NOW, DEFAULT)
    assert reading.problem is None, phrase
    assert reading.moment == expected


REFUSED = [
    ("31 februari", Problem.INVALID),
    ("29-2-2027", Problem.INVALID),
    ("32-1", Problem.INVALID),
    ("morgen om 25 uur", Problem.INVALID),
    ("morgen 10:75", Problem.INVALID),
    ("volgende week", Problem.AMBIGUOUS),
    ("volgende maand", Problem.AMBIGUOUS),
    ("donderdag 15 januari", Problem.AMBIGUOUS),
    ("morgen 15 januari", Problem.AMBIGUOUS),
    ("gisteren", Problem.PAST),
    ("om 9 uur", Problem.PAST),
    ("1-1-2020", Problem.PAST),
    ("30-12-9999", Problem.TOO_FAR),
    ("31-12-9999 23:59", Problem.TOO_FAR),
    ("1-1-2032", Problem.TOO_FAR),
    ("xyz", Problem.UNKNOWN),
    ("", Problem.UNKNOWN),
    ("ooit eens", Problem.UNKNOWN),
]


@pytest.mark.parametrize(("phrase", "problem"), REFUSED)
def test_phrase_that_cannot_be_a_future_date_says_why(phrase: str, problem: Problem) -> None:
    assert parse_dutch_datetime(phrase, NOW, DEFAULT).problem is problem


def test_only_a_time_with_a_stated_time_counts_as_having_one() -> None:
    assert parse_dutch_datetime("morgen 9:30", NOW, DEFAULT).has_time
    assert not parse_dutch_datetime("morgen", NOW, DEFAULT).has_time


def test_relative_dates_across_the_autumn_clock_change_keep_the_local_time() -> None:
    before_change = datetime(2026, 10, 23, 10, 0, tzinfo=AMS)  # CEST, +02:00; clocks go back on 25 October
    reading = parse_dutch_datetime("volgende week vrijdag 14:00", before_change, DEFAULT)
    assert reading.moment == datetime(2026, 10, 30, 14, 0, tzinfo=AMS)
    assert reading.moment is not None and reading.moment.utcoffset() is not None
    assert reading.moment.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert parse_dutch_datetime("over een week", before_change, DEFAULT).moment == datetime(
        2026, 10, 30, 17, 0, tzinfo=AMS
    )


def test_a_time_in_the_spring_forward_gap_does_not_exist() -> None:
    assert parse_dutch_datetime("28-3-2027 02:30", NOW, DEFAULT).problem is Problem.INVALID


def test_the_repeated_hour_in_autumn_is_read_as_the_first_one() -> None:
    before_change = datetime(2026, 10, 23, 10, 0, tzinfo=AMS)
    reading = parse_dutch_datetime("25-10-2026 02:30", before_change, DEFAULT)
    assert reading.moment is not None and reading.moment.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
