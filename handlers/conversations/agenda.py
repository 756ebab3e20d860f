"""``agenda [dag]``: the procesregisseur's casusoverleggen of a day (today when no day is named), with per case its
actions, the updates since the question went out, in full, and who has not answered (``handlers.overleg``).
Only the cases they direct or stand in for."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from handlers import overleg
from handlers.authorization import DIRECTORS, directing_for
from handlers.dates.dutch import parse_dutch_datetime
from handlers.dates.formatting import long_date
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.state import NoState
from handlers.dialogue.turn import Turn

KIND = "agenda"


def _day(turn: Turn, argument: str) -> datetime | None:
    """The start of the day named (forward, as a deadline is read), or of today."""
    if not argument.strip():
        return turn.calendar.at(turn.today(), time(0))
    reading = parse_dutch_datetime(
        argument,
        turn.now(),
        time(0),
        working=turn.calendar.is_working_day,
        english=turn.lang == "en",
        seasons=turn.definitions.region.school_holidays,
    )
    if reading.moment is None:
        return None
    return turn.calendar.at(turn.calendar.local_date(reading.moment), time(0))


async def start(turn: Turn, argument: str) -> None:
    start = _day(turn, argument)
    if start is None:
        turn.say("agenda.unknown_day")
        return
    end = turn.calendar.at(turn.calendar.local_date(start) + timedelta(days=1), time(0))
    found = await overleg.agenda(
        turn.session, await directing_for(turn.session, turn.person, turn.now()), start, end
    )
    await turn.audit_shown("agenda.view", (item.case.number for item in found))
    day = long_date(turn.texts, turn.lang, start, turn.tz, with_time=False)
    if not found:
        turn.say("agenda.none", day=day)
        return
    lines = await overleg.agenda_lines(turn.session, turn.texts, turn.lang, found, with_updates=True)
    turn.say_lines([turn.t("agenda.title", day=day), *lines])


CONVERSATION = Conversation(KIND, DIRECTORS, NoState, start)
