"""When a new referral will be discussed: the first triage (config/process.toml) whose cut-off is still ahead, so
the melder knows on submitting when to expect a decision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from config.definitions import Triage
from handlers.dates.working_days import WorkingCalendar

# How far ahead a triage is looked for (a region's triage days may all fall in a holiday week or two).
WEEKS_AHEAD = 8


def next_triage(calendar: WorkingCalendar, triages: Sequence[Triage], now: datetime) -> datetime | None:
    """The moment of the first triage a referral made ``now`` goes to; None when the region plans none."""
    today = calendar.local_date(now)
    monday = today - timedelta(days=today.weekday())
    for week in range(WEEKS_AHEAD):
        start = monday + timedelta(weeks=week)
        ahead = [
            calendar.at(start + timedelta(days=triage.day), triage.at)
            for triage in triages
            if calendar.is_working_day(start + timedelta(days=triage.day))
            and now < calendar.at(start + timedelta(days=triage.cutoff_day), triage.cutoff_at)
        ]
        if ahead:
            return min(ahead)
    return None
