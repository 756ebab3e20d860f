"""When a routine reminder goes out: as it falls due, gathered into the recipient's daily digest, or once they are
back (issue 36, part 4).

The delivery engine asks this as it claims a row, not the planner as it writes one: a reminder planned weeks ago
follows the preference its recipient holds when it falls due, and changing a preference re-plans nothing. A row
set aside keeps its ``scheduled_at`` (the moment it was meant for); only when it may be tried moves, and for a
digest the moment it waits for is kept on the row, so that every row waiting for it goes out in one message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from config.settings import Settings
from handlers import overleg, reminders
from handlers.dates.working_days import WorkingCalendar
from handlers.notice_kind import NoticeKind
from storage.models import PendingMessage, Professional

DIGEST, AWAY = "digest", "away"  # why a row waits, as the outbox listing shows it
# The kinds that may wait, to look at afresh when a preference changes.
ROUTINE = tuple(str(kind) for kind in (*reminders.NOTICES, *overleg.NOTICES) if kind.routine)


@dataclass(frozen=True)
class SetAside:
    """A row that waits: until when, and whether that moment is the recipient's digest."""

    until: datetime
    gathered: bool

    @property
    def reason(self) -> str:
        return DIGEST if self.gathered else AWAY


def next_digest(calendar: WorkingCalendar, at: time, now: datetime) -> datetime:
    """The first digest moment after ``now``: ``at`` on a working day, inside the sending window."""
    day = calendar.local_date(now)
    while True:
        if calendar.is_working_day(day) and (moment := calendar.at(day, at)) > now:
            return calendar.next_allowed(moment)
        day += timedelta(days=1)


def back_at(person: Professional, calendar: WorkingCalendar, settings: Settings) -> datetime | None:
    """When an away person's reminders go again: their digest time, or the reminder time, on the first working day
    from the day they said they are back. None when they never said they were away."""
    if person.away_until is None:
        return None
    day = person.away_until
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return calendar.next_allowed(calendar.at(day, person.digest_at or settings.reminder_time))


def in_digest(person: Professional, row: PendingMessage, now: datetime) -> bool:
    """Whether the row goes out now inside the recipient's digest: it waited for one that has come."""
    return person.digest_at is not None and row.gathered_for is not None and row.gathered_for <= now


def set_aside(
    person: Professional,
    row: PendingMessage,
    kind: NoticeKind[Any],
    calendar: WorkingCalendar,
    settings: Settings,
    now: datetime,
) -> SetAside | None:
    """Until when a claimed row waits, or None when it goes now. Only routine kinds wait, and never a row queued
    as urgent. Back from being away, the held reminders come at the digest time when there is one, as the digest."""
    if not kind.routine or row.urgent:
        return None
    back = back_at(person, calendar, settings)
    if back is not None and back > now:
        return SetAside(back, gathered=person.digest_at is not None)
    if person.digest_at is None or in_digest(person, row, now):
        return None
    return SetAside(next_digest(calendar, person.digest_at, now), gathered=True)
