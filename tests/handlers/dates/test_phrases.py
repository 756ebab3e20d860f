"""The date layer on phrases written for this project: holidays and parts of the month, weeks and weekdays,
working days, English, and "since" questions looking back; on three base moments: a Monday in November, a
Thursday before the change to summer time, and a Tuesday between Christmas and New Year.

Working days are the Dutch ones (``WorkingCalendar``: weekends and public holidays, Goede Vrijdag included).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from config.settings import Settings
from handlers.dates.dutch import Problem, parse_dutch_datetime
from handlers.dates.working_days import WorkingCalendar

AMS = ZoneInfo("Europe/Amsterdam")
NOVEMBER = datetime(2026, 11, 23, 10, 15, tzinfo=AMS)  # Monday
SPRING = datetime(2027, 3, 25, 10, 0, tzinfo=AMS)  # Thursday; clocks go forward on Sunday 28 March
YEAR_END = datetime(2026, 12, 29, 11, 0, tzinfo=AMS)  # Tuesday
WORKING = WorkingCalendar.from_settings(Settings()).is_working_day
DEADLINE, START_OF_DAY = time(17), time(0)


def at(year: int, month: int, day: int, hour: int = 17, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def day(year: int, month: int, date: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, date, hour, minute, tzinfo=AMS)


AHEAD_DUTCH = [
    (NOVEMBER, "dinsdag over een week", at(2026, 12, 1)),
    (NOVEMBER, "dinsdag over een week 14:00", at(2026, 12, 1, 14)),
    (NOVEMBER, "donderdag over twee weken", at(2026, 12, 10)),
    (NOVEMBER, "over 2 weken op donderdag", at(2026, 12, 10)),
    (NOVEMBER, "over een week op vrijdag", at(2026, 12, 4)),
    (NOVEMBER, "over twee weken donderdag", at(2026, 12, 10)),
    (NOVEMBER, "over anderhalve week", at(2026, 12, 3)),
    (NOVEMBER, "binnen anderhalve week", at(2026, 12, 3)),
    (NOVEMBER, "over 3 werkdagen", at(2026, 11, 26)),
    (NOVEMBER, "over 5 werkdagen", at(2026, 11, 30)),
    (NOVEMBER, "binnen 10 werkdagen", at(2026, 12, 7)),
    (NOVEMBER, "over een werkdag", at(2026, 11, 24)),
    (NOVEMBER, "kerst", at(2026, 12, 25)),
    (NOVEMBER, "Kerstmis", at(2026, 12, 25)),
    (NOVEMBER, "voor de kerst", at(2026, 12, 24)),
    (NOVEMBER, "voor kerst 12:00", at(2026, 12, 24, 12)),
    (NOVEMBER, "na de kerst", at(2026, 12, 28)),
    (NOVEMBER, "na kerst", at(2026, 12, 28)),
    (NOVEMBER, "rond de kerst", at(2026, 12, 25)),
    (NOVEMBER, "oud en nieuw", at(2026, 12, 31)),
    (NOVEMBER, "oudjaar", at(2026, 12, 31)),
    (NOVEMBER, "na oud en nieuw", at(2027, 1, 4)),
    (NOVEMBER, "nieuwjaar", at(2027, 1, 1)),
    (NOVEMBER, "na nieuwjaar", at(2027, 1, 4)),
    (NOVEMBER, "Pasen", at(2027, 3, 28)),
    (NOVEMBER, "voor Pasen", at(2027, 3, 25)),  # Goede Vrijdag is not a working day
    (NOVEMBER, "na Pasen", at(2027, 3, 30)),
    (NOVEMBER, "Koningsdag", at(2027, 4, 27)),
    (NOVEMBER, "voor Koningsdag", at(2027, 4, 26)),
    (NOVEMBER, "Hemelvaart", at(2027, 5, 6)),
    (NOVEMBER, "Pinksteren", at(2027, 5, 16)),
    (NOVEMBER, "na Pinksteren", at(2027, 5, 18)),
    (NOVEMBER, "begin januari", at(2027, 1, 4)),
    (NOVEMBER, "begin december", at(2026, 12, 1)),
    (NOVEMBER, "half maart", at(2027, 3, 15)),
    (NOVEMBER, "medio februari", at(2027, 2, 15)),
    (NOVEMBER, "midden april", at(2027, 4, 15)),
    (NOVEMBER, "half december 10:00", at(2026, 12, 15, 10)),
    (NOVEMBER, "eind januari", at(2027, 1, 31)),
    (NOVEMBER, "einde februari", at(2027, 2, 28)),
    (NOVEMBER, "eind november", at(2026, 11, 30)),
    (NOVEMBER, "eind mei 2027", at(2027, 5, 31)),
    (NOVEMBER, "eind van januari", at(2027, 1, 31)),
    (NOVEMBER, "begin februari om 9 uur", at(2027, 2, 1, 9)),
    (NOVEMBER, "uiterlijk eind januari", at(2027, 1, 31)),
    (NOVEMBER, "uitstel tot volgende week dinsdag", at(2026, 12, 1)),
    (SPRING, "maandag 9:00", at(2027, 3, 29, 9)),
    (SPRING, "over een week", at(2027, 4, 1)),
    (SPRING, "na Pasen", at(2027, 3, 30)),
    (SPRING, "voor Pasen", at(2027, 3, 25)),
    (SPRING, "volgende week vrijdag", at(2027, 4, 2)),
    (SPRING, "over 3 werkdagen", at(2027, 4, 1)),  # Goede Vrijdag and Tweede Paasdag are not counted
    (SPRING, "zondag 14:00", at(2027, 3, 28, 14)),
    (SPRING, "dinsdag over een week", at(2027, 4, 6)),
    (SPRING, "Koningsdag", at(2027, 4, 27)),
    (SPRING, "eind april", at(2027, 4, 30)),
    (YEAR_END, "vrijdag", at(2027, 1, 1)),
    (YEAR_END, "na oud en nieuw", at(2027, 1, 4)),
    (YEAR_END, "volgende week vrijdag", at(2027, 1, 8)),
    (YEAR_END, "15 januari", at(2027, 1, 15)),
    (YEAR_END, "begin januari", at(2027, 1, 4)),
    (YEAR_END, "eind van de maand", at(2026, 12, 31)),
    (YEAR_END, "kerst", at(2027, 12, 25)),
    (YEAR_END, "over 3 werkdagen", at(2027, 1, 4)),
    (YEAR_END, "dinsdag over een week", at(2027, 1, 12)),
    (YEAR_END, "over 2 weken op maandag", at(2027, 1, 11)),
    (YEAR_END, "oud en nieuw", at(2026, 12, 31)),
    (YEAR_END, "morgen", at(2026, 12, 30)),
    (YEAR_END, "1-1", at(2027, 1, 1)),
]

AHEAD_ENGLISH = [
    (NOVEMBER, "tomorrow", at(2026, 11, 24)),
    (NOVEMBER, "Tomorrow at 9", at(2026, 11, 24, 9)),
    (NOVEMBER, "tomorrow at 3pm", at(2026, 11, 24, 15)),
    (NOVEMBER, "tomorrow 9am", at(2026, 11, 24, 9)),
    (NOVEMBER, "tomorrow 9:30 am", at(2026, 11, 24, 9, 30)),
    (NOVEMBER, "tomorrow morning", at(2026, 11, 24, 9)),
    (NOVEMBER, "tomorrow afternoon", at(2026, 11, 24, 14)),
    (NOVEMBER, "today 4pm", at(2026, 11, 23, 16)),
    (NOVEMBER, "this afternoon", at(2026, 11, 23, 14)),
    (NOVEMBER, "tonight", at(2026, 11, 23, 19)),
    (NOVEMBER, "the day after tomorrow", at(2026, 11, 25)),
    (NOVEMBER, "Friday", at(2026, 11, 27)),
    (NOVEMBER, "fri", at(2026, 11, 27)),
    (NOVEMBER, "next Friday", at(2026, 11, 27)),
    (NOVEMBER, "this Wednesday", at(2026, 11, 25)),
    (NOVEMBER, "Friday next week", at(2026, 12, 4)),
    (NOVEMBER, "next week Friday", at(2026, 12, 4)),
    (NOVEMBER, "next week Tuesday 2pm", at(2026, 12, 1, 14)),
    (NOVEMBER, "on Friday at 10", at(2026, 11, 27, 10)),
    (NOVEMBER, "by Friday", at(2026, 11, 27)),
    (NOVEMBER, "in two weeks", at(2026, 12, 7)),
    (NOVEMBER, "in 2 weeks", at(2026, 12, 7)),
    (NOVEMBER, "in a week", at(2026, 11, 30)),
    (NOVEMBER, "in three days", at(2026, 11, 26)),
    (NOVEMBER, "in a month", at(2026, 12, 23)),
    (NOVEMBER, "in 2 hours", at(2026, 11, 23, 12, 15)),
    (NOVEMBER, "within 5 working days", at(2026, 11, 30)),
    (NOVEMBER, "in 3 business days", at(2026, 11, 26)),
    (NOVEMBER, "in a week and a half", at(2026, 12, 3)),
    (NOVEMBER, "Tuesday in a week", at(2026, 12, 1)),
    (NOVEMBER, "end of the month", at(2026, 11, 30)),
    (NOVEMBER, "end of next month", at(2026, 12, 31)),
    (NOVEMBER, "end of the week", at(2026, 11, 27)),
    (NOVEMBER, "end of next week", at(2026, 12, 4)),
    (NOVEMBER, "beginning of next week", at(2026, 11, 30)),
    (NOVEMBER, "start of next month", at(2026, 12, 1)),
    (NOVEMBER, "15 Jan", at(2027, 1, 15)),
    (NOVEMBER, "Jan 15", at(2027, 1, 15)),
    (NOVEMBER, "January 15th", at(2027, 1, 15)),
    (NOVEMBER, "15th of January", at(2027, 1, 15)),
    (NOVEMBER, "15 January 2027 10:30", at(2027, 1, 15, 10, 30)),
    (NOVEMBER, "4 December 2pm", at(2026, 12, 4, 14)),
    (NOVEMBER, "Dec 4 at 14:00", at(2026, 12, 4, 14)),
    (NOVEMBER, "Friday 4 December", at(2026, 12, 4)),
    (NOVEMBER, "15-1-2027 10:30", at(2027, 1, 15, 10, 30)),
    (NOVEMBER, "25/12", at(2026, 12, 25)),
    (NOVEMBER, "2027-01-15", at(2027, 1, 15)),
    (NOVEMBER, "Christmas", at(2026, 12, 25)),
    (NOVEMBER, "after Christmas", at(2026, 12, 28)),
    (NOVEMBER, "before Christmas", at(2026, 12, 24)),
    (NOVEMBER, "New Year's Eve", at(2026, 12, 31)),
    (NOVEMBER, "Easter", at(2027, 3, 28)),
    (NOVEMBER, "after Easter", at(2027, 3, 30)),
    (NOVEMBER, "King's Day", at(2027, 4, 27)),
    (NOVEMBER, "mid March", at(2027, 3, 15)),
    (NOVEMBER, "mid-March", at(2027, 3, 15)),
    (NOVEMBER, "early January", at(2027, 1, 4)),
    (NOVEMBER, "end of January", at(2027, 1, 31)),
    (NOVEMBER, "late February", at(2027, 2, 28)),
    (NOVEMBER, "noon tomorrow", at(2026, 11, 24, 12)),
    (NOVEMBER, "postpone until next week Tuesday", at(2026, 12, 1)),
    (NOVEMBER, "vrijdag", at(2026, 11, 27)),  # the Dutch forms too
    (NOVEMBER, "volgende week dinsdag 14:00", at(2026, 12, 1, 14)),
    (YEAR_END, "next Friday", at(2027, 1, 1)),
    (YEAR_END, "early January", at(2027, 1, 4)),
    (SPRING, "Monday 9am", at(2027, 3, 29, 9)),
]

SINCE = [
    (NOVEMBER, "gisteren", day(2026, 11, 22)),
    (NOVEMBER, "vandaag", day(2026, 11, 23)),
    (NOVEMBER, "maandag", day(2026, 11, 23)),
    (NOVEMBER, "vrijdag", day(2026, 11, 20)),
    (NOVEMBER, "zondag", day(2026, 11, 22)),
    (NOVEMBER, "vorige week", day(2026, 11, 16)),
    (NOVEMBER, "afgelopen week", day(2026, 11, 16)),
    (NOVEMBER, "vorige maand", day(2026, 10, 1)),
    (NOVEMBER, "vorige vrijdag", day(2026, 11, 20)),
    (NOVEMBER, "afgelopen dinsdag", day(2026, 11, 17)),
    (NOVEMBER, "vorige maandag", day(2026, 11, 16)),
    (NOVEMBER, "20 november", day(2026, 11, 20)),
    (NOVEMBER, "23 november", day(2026, 11, 23)),
    (NOVEMBER, "1 december", day(2025, 12, 1)),
    (NOVEMBER, "1-11", day(2026, 11, 1)),
    (NOVEMBER, "20 november 2026", day(2026, 11, 20)),
    (NOVEMBER, "begin november", day(2026, 11, 2)),
    (NOVEMBER, "half oktober", day(2026, 10, 15)),
    (NOVEMBER, "kerst", day(2025, 12, 25)),
    (NOVEMBER, "gisteren 14:00", day(2026, 11, 22, 14)),
    (NOVEMBER, "vanochtend", day(2026, 11, 23, 9)),
    (YEAR_END, "kerst", day(2026, 12, 25)),
    (YEAR_END, "na de kerst", day(2026, 12, 28)),
    (YEAR_END, "vorige week", day(2026, 12, 21)),
    (YEAR_END, "15 december", day(2026, 12, 15)),
    (YEAR_END, "begin december", day(2026, 12, 1)),
    (SPRING, "maandag", day(2027, 3, 22)),
    (SPRING, "1 maart", day(2027, 3, 1)),
]

SINCE_ENGLISH = [
    (NOVEMBER, "yesterday", day(2026, 11, 22)),
    (NOVEMBER, "last week", day(2026, 11, 16)),
    (NOVEMBER, "last Friday", day(2026, 11, 20)),
    (NOVEMBER, "Monday", day(2026, 11, 23)),
    (NOVEMBER, "last month", day(2026, 10, 1)),
    (NOVEMBER, "20 November", day(2026, 11, 20)),
    (NOVEMBER, "Nov 1", day(2026, 11, 1)),
    (YEAR_END, "Christmas", day(2026, 12, 25)),
]

REFUSED = [
    (NOVEMBER, "12/15/2026", True, Problem.AMBIGUOUS),  # month first: a US-style date
    (NOVEMBER, "03/04/2027", True, Problem.AMBIGUOUS),  # either way round
    (NOVEMBER, "3-4", True, Problem.AMBIGUOUS),
    (NOVEMBER, "yesterday", True, Problem.PAST),
    (NOVEMBER, "someday", True, Problem.UNKNOWN),
    (NOVEMBER, "31 February", True, Problem.INVALID),
    (NOVEMBER, "next week", True, Problem.AMBIGUOUS),
    (NOVEMBER, "tomorrow at 25", True, Problem.INVALID),
    (NOVEMBER, "Thursday 4 December", True, Problem.AMBIGUOUS),  # 4 December 2026 is a Friday
    (NOVEMBER, "29021980", False, Problem.PAST),  # read, but no deadline
    (NOVEMBER, "zomervakantie", False, Problem.UNKNOWN),  # no region configures it yet
    (NOVEMBER, "ergens na de kerst", False, Problem.UNKNOWN),
    (NOVEMBER, "vorige week", False, Problem.PAST),
    (NOVEMBER, "31021980", False, Problem.INVALID),
    (SPRING, "zondag 02:30", False, Problem.INVALID),  # the hour the clocks skip
]


@pytest.mark.parametrize(("now", "phrase", "expected"), AHEAD_DUTCH)
def test_dutch_phrases_ahead(now: datetime, phrase: str, expected: datetime) -> None:
    reading = parse_dutch_datetime(phrase, now, DEADLINE, working=WORKING)
    assert (reading.problem, reading.moment) == (None, expected), phrase


@pytest.mark.parametrize(("now", "phrase", "expected"), AHEAD_ENGLISH)
def test_english_phrases_ahead(now: datetime, phrase: str, expected: datetime) -> None:
    reading = parse_dutch_datetime(phrase, now, DEADLINE, working=WORKING, english=True)
    assert (reading.problem, reading.moment) == (None, expected), phrase


@pytest.mark.parametrize(("now", "phrase", "expected"), SINCE)
def test_since_phrases_look_back_and_start_the_day(now: datetime, phrase: str, expected: datetime) -> None:
    reading = parse_dutch_datetime(phrase, now, START_OF_DAY, past=True, working=WORKING)
    assert (reading.problem, reading.moment) == (None, expected), phrase


@pytest.mark.parametrize(("now", "phrase", "expected"), SINCE_ENGLISH)
def test_english_since_phrases(now: datetime, phrase: str, expected: datetime) -> None:
    reading = parse_dutch_datetime(phrase, now, START_OF_DAY, past=True, working=WORKING, english=True)
    assert (reading.problem, reading.moment) == (None, expected), phrase


@pytest.mark.parametrize(("now", "phrase", "english", "problem"), REFUSED)
def test_what_cannot_be_meant_is_refused_with_its_reason(
    now: datetime, phrase: str, english: bool, problem: Problem
) -> None:
    assert parse_dutch_datetime(phrase, now, DEADLINE, working=WORKING, english=english).problem is problem


def test_looking_back_a_day_to_come_is_refused() -> None:
    for phrase in ("morgen", "volgende week vrijdag", "over een week"):
        reading = parse_dutch_datetime(phrase, NOVEMBER, START_OF_DAY, past=True, working=WORKING)
        assert reading.problem is Problem.FUTURE, phrase


def test_the_table_is_large_enough_to_mean_something() -> None:
    from tests.handlers.dates.test_dutch import REFUSED as DUTCH_REFUSED
    from tests.handlers.dates.test_dutch import UNDERSTOOD

    phrases = AHEAD_DUTCH + AHEAD_ENGLISH + SINCE + SINCE_ENGLISH + REFUSED + UNDERSTOOD + DUTCH_REFUSED
    assert len(phrases) >= 150


SCHOOL_HOLIDAYS = {"zomervakantie": [(date(2027, 7, 17), date(2027, 8, 29))], "herfstvakantie": [
    (date(2026, 10, 17), date(2026, 10, 25)), (date(2027, 10, 16), date(2027, 10, 24))]}  # fmt: skip


@pytest.mark.parametrize(
    ("phrase", "past", "expected"),
    [
        ("na de zomervakantie", False, at(2027, 8, 30)),
        ("voor de zomervakantie", False, at(2027, 7, 16)),
        ("zomervakantie", False, at(2027, 7, 17)),
        ("na de herfstvakantie", False, at(2027, 10, 25)),
        ("na de herfstvakantie", True, day(2026, 10, 26)),
    ],
)
def test_school_holidays_are_read_where_the_region_configures_them(
    phrase: str, past: bool, expected: datetime
) -> None:
    clock = START_OF_DAY if past else DEADLINE
    reading = parse_dutch_datetime(
        phrase, NOVEMBER, clock, past=past, working=WORKING, seasons=SCHOOL_HOLIDAYS
    )
    assert (reading.problem, reading.moment) == (None, expected)
