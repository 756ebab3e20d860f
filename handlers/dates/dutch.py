"""Dates and times as Dutch professionals type them, in front of dateparser.

dateparser alone misreads everyday Dutch ("om 9 uur" becomes 19:00, "volgende week vrijdag" is not
understood, "vrijdag" means last Friday; see platforms.md). This layer reads the common forms itself,
hands only plain absolute dates it does not know to dateparser with strict settings, and reports
*why* it could not answer (unknown, invalid, ambiguous, past) so the bot can ask again precisely.

Conventions, chosen for working hours and always confirmed back to the person in full:
- a spoken hour from 1 to 6 without a part of the day ("half 3", "om 4 uur") is in the afternoon;
- a bare weekday ("vrijdag") is the next one after today; "volgende week vrijdag" is the Friday of
  next calendar week;
- a date without a time gets the caller's default time;
- a date without a year is the next time that date comes round.

Looking back (``past``, for "sinds …"), a bare weekday or a date without a year is the last one up to today,
and "vorige week" is its Monday. Holidays, parts of a month and working days are read in
``handlers.dates.periods``; English in ``handlers.dates.english``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import dateparser  # type: ignore[import-untyped]

from handlers.dates import periods
from handlers.dates.dutch_words import FILLER, MONTHS, NUMBER_WORDS, PART_OF_DAY, WEEKDAYS
from handlers.dates.english import month_first, to_dutch
from handlers.dates.periods import WorkingDay, weekdays_only
from handlers.plain_text import fold

# A date without a year that passed less than this long ago is more likely a slip than next year's: it is asked
# about ("1 december" typed on 7 December), where one further back is simply next year's ("15 januari" in December).
RECENTLY_PASSED = timedelta(days=92)

_WEEKDAY_ALT = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))


class Problem(StrEnum):
    UNKNOWN = "unknown"
    INVALID = "invalid"
    AMBIGUOUS = "ambiguous"
    PAST = "past"
    FUTURE = "future"  # looking back ("sinds …"), a day still to come
    TOO_FAR = "too_far"


# Deadlines and meetings further ahead than this are typing errors ('30-12-9999'), not plans.
HORIZON = timedelta(days=5 * 366)


@dataclass(frozen=True)
class DateReading:
    """What a phrase means: a moment, or the reason it has none."""

    moment: datetime | None
    has_time: bool = False
    problem: Problem | None = None
    # The phrase named a day and month without a year that passed only recently: it was read as next year's.
    next_year: bool = False


def _fail(problem: Problem) -> DateReading:
    return DateReading(None, False, problem)


def _afternoon(hour: int, part: time | None, spoken: bool) -> int:
    """'middag' or 'avond' moves a morning hour; spoken hours 1-6 mean the afternoon unless the morning
    was named. Clock notation ("3:00") is taken as typed."""
    if part is not None and part.hour >= 12 and hour < 12:
        return hour + 12
    if spoken and part is None and 1 <= hour <= 6:
        return hour + 12
    return hour


class _Reader:
    """Consumes recognised pieces of the phrase; what is left over decides whether it was understood."""

    def __init__(self, phrase: str, english: bool = False) -> None:
        self.next_year = (
            False  # a date without a year was taken into next year although it passed only recently
        )
        text = re.sub(
            r"\btot en met\b|\bt/m\b", " tm ", fold(phrase)
        )  # 'uitstel t/m vrijdag': through Friday
        text = (to_dutch(text) if english else text).replace("'", " ").replace("’", " ")
        text = re.sub(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", lambda m: str(NUMBER_WORDS[m.group(1)]), text)
        text = re.sub(
            rf"\b({'|'.join(name for name in WEEKDAYS if len(name) > 2)})(ochtend|middag|avond)\b",
            r"\1 \2",
            text,
        )
        self.rest = f" {text} "

    def take(self, pattern: str) -> re.Match[str] | None:
        match = re.search(pattern, self.rest)
        if match:
            self.rest = self.rest[: match.start()] + " " + self.rest[match.end() :]
        return match

    def leftover(self) -> list[str]:
        words = re.findall(r"[a-z0-9.]+", self.rest)
        return [word for word in words if word not in FILLER]


def _read_time(reader: _Reader, part: time | None) -> time | None | Problem:
    """The clock time in the phrase, None when it names none, INVALID for '25:00'."""
    patterns: list[tuple[str, object]] = [
        (r"(?<![\d./-])(\d{1,2})[:.](\d{2})(?![\d./-])\s*(?:uur|u)?\b", lambda h, m: (int(h), int(m), False)),
        (r"\b(\d{1,2}) over half (\d{1,2})\b", lambda m, h: (int(h) - 1, 30 + int(m), True)),
        (r"\b(\d{1,2}) voor half (\d{1,2})\b", lambda m, h: (int(h) - 1, 30 - int(m), True)),
        (r"\bhalf (\d{1,2})\b", lambda h: (int(h) - 1, 30, True)),
        (r"\bkwart over (\d{1,2})\b", lambda h: (int(h), 15, True)),
        (r"\bkwart voor (\d{1,2})\b", lambda h: (int(h) - 1, 45, True)),
        (r"\b(\d{1,2}) over (\d{1,2})\b", lambda m, h: (int(h), int(m), True)),
        (r"\b(\d{1,2}) voor (\d{1,2})\b", lambda m, h: (int(h) - 1, 60 - int(m), True)),
        (r"\b(\d{1,2})\s*(?:uur|u)\b", lambda h: (int(h), 0, True)),
        (r"\bom (\d{1,2})\b(?![-/.]\d)", lambda h: (int(h), 0, True)),
    ]
    for pattern, build in patterns:
        match = reader.take(pattern)
        if match is None:
            continue
        hour, minute, spoken = build(*match.groups())  # type: ignore[operator]
        if spoken and hour == 0:
            hour = 12  # "half 1" is 12:30
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            return Problem.INVALID
        return time(_afternoon(hour, part, spoken), minute)
    return None


def parse_clock(phrase: str, english: bool = False) -> time | None:
    """A time of day said alone ('8:30', 'half negen', '9 uur', a bare '9'), as a daily moment is asked for; None
    when the phrase is not only that."""
    bare = re.fullmatch(r"\s*(\d{1,2})\s*", phrase)
    if bare is not None:
        phrase = f"{bare.group(1)} uur"
    reader = _Reader(phrase, english)
    _, part = _read_part_of_day(reader)
    clock = _read_time(reader, part)
    return clock if isinstance(clock, time) and not reader.leftover() else None


def _read_part_of_day(reader: _Reader) -> tuple[int, time | None]:
    """Words like 'vanmiddag', 'morgenochtend', "'s avonds": a day offset (or -1 for none) and a time."""
    match = reader.take(r"\b(van|morgen|overmorgen)(ochtend|morgen|middag|avond)\b")
    if match:
        offset = {"van": 0, "morgen": 1, "overmorgen": 2}[match.group(1)]
        return offset, PART_OF_DAY.get(match.group(2), time(9))
    match = reader.take(r"\b(?:in de )?(ochtend|morgens|middag|middags|avond|avonds)\b")
    return -1, PART_OF_DAY[match.group(1)] if match else None


def _next_weekday(today: date, weekday: int, *, include_today: bool = False) -> date:
    days = (weekday - today.weekday()) % 7
    return today + timedelta(days=days if days or include_today else 7)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    first = date(day.year + index // 12, index % 12 + 1, 1)
    return first.replace(day=min(day.day, _month_end(first).day))


def _build_date(year: int | None, month: int, day: int, today: date, past: bool = False) -> date | Problem:
    """A calendar date; without a year, the next time it comes round (looking back: the last time)."""
    if year is not None:
        try:
            return date(year + 2000 if year < 100 else year, month, day)
        except ValueError:
            return Problem.INVALID
    for candidate_year in (
        range(today.year, today.year - 9, -1) if past else range(today.year, today.year + 9)
    ):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue  # 29 February outside a leap year
        if (candidate <= today) if past else (candidate >= today):
            return candidate
    return Problem.INVALID


def _read_relative(reader: _Reader, today: date) -> date | Problem | None:
    """Relative day words: vandaag, morgen, over twee weken, eind van de maand, begin volgende week, vorige week…"""
    if reader.take(r"\b(?:vorige|afgelopen) week\b"):
        return today - timedelta(days=today.weekday() + 7)
    if reader.take(r"\b(?:vorige|afgelopen) maand\b"):
        return _add_months(today.replace(day=1), -1)
    simple = {"vandaag": 0, "overmorgen": 2, "morgen": 1, "gisteren": -1, "eergisteren": -2}
    for word, offset in simple.items():
        if reader.take(rf"\b{word}\b"):
            return today + timedelta(days=offset)
    match = reader.take(r"\b(?:over|binnen|na) (\d{1,3}) (dag|dagen|week|weken|maand|maanden)\b")
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        if unit.startswith("maand"):
            return _add_months(today, amount)
        return today + timedelta(days=amount * (7 if unit.startswith("we") else 1))
    next_monday = today + timedelta(days=7 - today.weekday())
    match = reader.take(r"\b(begin|eind|einde) (?:van )?(?:de )?(volgende|deze|komende) (week|maand)\b")
    if match is None:
        match = reader.take(r"\b(begin|eind|einde) (?:van )?(?:de )?()(week|maand)\b")
    if match:
        edge, which, unit = match.groups()
        following = which in ("volgende", "komende")
        if unit == "week":
            monday = next_monday if following else today - timedelta(days=today.weekday())
            return monday if edge == "begin" else monday + timedelta(days=4)
        month_start = _add_months(today.replace(day=1), 1 if following else 0)
        return month_start if edge == "begin" else _month_end(month_start)
    if reader.take(r"\b(?:volgende|komende) (?:week|maand)\b"):
        return Problem.AMBIGUOUS
    return None


def _read_weekday(reader: _Reader, today: date, past: bool = False) -> date | None:
    match = reader.take(rf"\b(?:vorige|afgelopen) ({_WEEKDAY_ALT})\b")
    if match:
        return today - timedelta(days=(today.weekday() - WEEKDAYS[match.group(1)]) % 7 or 7)
    match = reader.take(rf"\bvolgende week ({_WEEKDAY_ALT})\b") or reader.take(
        rf"\b({_WEEKDAY_ALT}) (?:van )?volgende week\b"
    )
    if match:
        monday = today + timedelta(days=7 - today.weekday())
        return monday + timedelta(days=WEEKDAYS[match.group(1)])
    match = reader.take(rf"\b(?:(deze) )?({_WEEKDAY_ALT})\b")
    if match and past:
        return today - timedelta(days=(today.weekday() - WEEKDAYS[match.group(2)]) % 7)
    if match:
        return _next_weekday(today, WEEKDAYS[match.group(2)], include_today=match.group(1) == "deze")
    return None


def _read_calendar_date(reader: _Reader, today: date, past: bool = False) -> date | Problem | None:
    match = reader.take(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
    if match:
        year, month, day = match.groups()
        return _build_date(int(year), int(month), int(day), today)
    match = reader.take(r"\b(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?\b")
    if match:
        day, month, year = match.groups()
        return _without_year(reader, year, int(month), int(day), today, past)
    match = reader.take(r"\b(\d{2})(\d{2})(\d{4})\b")  # 29021980: as the form page's date field takes it
    if match:
        day, month, year = match.groups()
        return _build_date(int(year), int(month), int(day), today)
    match = reader.take(rf"\b(\d{{1,2}})(?:e|ste|de)? ({_MONTH_ALT})\.?(?: (\d{{4}}))?\b")
    if match:
        day, month_name, year = match.groups()
        return _without_year(reader, year, MONTHS[month_name], int(day), today, past)
    return None


def _without_year(
    reader: _Reader, year: str | None, month: int, day: int, today: date, past: bool
) -> date | Problem:
    """A date whose year may be left out; notes on the reader when that made it next year's so soon after."""
    found = _build_date(int(year) if year else None, month, day, today, past)
    if year is None and not past and isinstance(found, date) and found.year > today.year:
        try:
            this_year = date(today.year, month, day)
        except ValueError:
            return found
        reader.next_year = today - this_year < RECENTLY_PASSED
    return found


def _read_named(
    reader: _Reader, today: date, past: bool, working: WorkingDay, seasons: periods.Seasons
) -> date | None:
    """Days named by the calendar (``handlers.dates.periods``), read before plain weekdays and offsets."""
    take = reader.take
    return (
        periods.read_season(take, seasons, today, past, working)
        or periods.read_weeks_and_weekday(take, WEEKDAYS, today)
        or periods.read_working_days(take, today, working)
        or periods.read_half_weeks(take, today)
        or periods.read_holiday(take, today, past, working)
        or periods.read_month_part(take, MONTHS, today, past, working)
    )


def _with_dateparser(phrase: str, now: datetime) -> datetime | None:
    """Last resort for absolute forms we do not read ourselves, e.g. ISO dates."""
    parsed: datetime | None = dateparser.parse(
        phrase,
        languages=["nl", "en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": now.replace(tzinfo=None),
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": True,
        },
    )
    return parsed


def _localise(day: date, clock: time, tz: ZoneInfo) -> datetime | None:
    """Attach the zone; None for a time that does not exist (the spring-forward gap)."""
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=tz)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None)
    return aware if round_trip == naive else None


def parse_dutch_datetime(
    phrase: str,
    now: datetime,
    default_time: time,
    *,
    past: bool = False,
    working: WorkingDay = weekdays_only,
    english: bool = False,
    seasons: periods.Seasons | None = None,
) -> DateReading:
    """Read ``phrase`` relative to ``now`` (aware, in the installation's zone), forward for a deadline or back
    (``past``) for a "since" question; ``working`` says which days are working days, ``english`` reads the
    English forms too. A moment beyond the horizon, or one no date arithmetic can reach (year 9999 and a time
    after it), is refused rather than kept."""
    if english and month_first(fold(phrase)):
        return _fail(Problem.AMBIGUOUS)
    try:
        reading = _parse(phrase, now, default_time, past, working, english, seasons or {})
    except (OverflowError, ValueError):
        return _fail(Problem.INVALID)
    if reading.moment is not None and reading.moment > now + HORIZON:
        return _fail(Problem.TOO_FAR)
    return reading


def _parse(
    phrase: str,
    now: datetime,
    default_time: time,
    past: bool,
    working: WorkingDay,
    english: bool,
    seasons: periods.Seasons,
) -> DateReading:
    tz = now.tzinfo
    if not isinstance(tz, ZoneInfo):
        raise TypeError("now must carry a ZoneInfo time zone")
    today = now.date()
    reader = _Reader(phrase, english)
    if not reader.rest.strip():
        return _fail(Problem.UNKNOWN)
    match = reader.take(r"\b(?:over|binnen) (\d{1,3}) (uur|minuten|min|kwartier)\b")
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        delta = (
            timedelta(hours=amount)
            if unit == "uur"
            else timedelta(minutes=amount * (15 if unit == "kwartier" else 1))
        )
        return (
            DateReading((now + delta).replace(second=0, microsecond=0), True)
            if not reader.leftover()
            else _fail(Problem.UNKNOWN)
        )
    offset, part = _read_part_of_day(reader)
    clock = _read_time(reader, part)
    if isinstance(clock, Problem):
        return _fail(clock)
    found: list[date] = [] if offset < 0 else [today + timedelta(days=offset)]
    named = _read_named(reader, today, past, working, seasons)
    found += [named] if named else []
    calendar = _read_calendar_date(reader, today, past)
    weekday = _read_weekday(reader, today, past)
    relative = _read_relative(reader, today)
    for result in (calendar, relative):
        if isinstance(result, Problem):
            return _fail(result)
        if result is not None:
            found.append(result)
    if reader.leftover():
        parsed = _with_dateparser(phrase, now)
        if parsed is None:
            return _fail(Problem.UNKNOWN)
        found, clock = [parsed.date()], clock or (parsed.time() if parsed.time() != time(0) else None)
    if weekday is not None:
        if found and found[0].weekday() != weekday.weekday():
            return _fail(Problem.AMBIGUOUS)
        found = found or [weekday]
    if len(set(found)) > 1:
        return _fail(Problem.AMBIGUOUS)
    if not found and clock is None and part is None:
        return _fail(Problem.UNKNOWN)
    day = found[0] if found else today
    chosen = clock or part
    moment = _localise(day, chosen or default_time, tz)
    if moment is None:
        return _fail(Problem.INVALID)
    if past and moment > now:
        return DateReading(moment, chosen is not None, Problem.FUTURE)
    if not past and moment < now:
        return DateReading(moment, chosen is not None, Problem.PAST)
    return DateReading(moment, chosen is not None, next_year=reader.next_year)
