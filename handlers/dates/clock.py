"""The one source of "now": production reads the system clock, tests set it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Anything that can tell the current moment, always time-zone aware."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock, in the installation's time zone, optionally shifted by a fixed offset.

    The offset exists for processes a test or a drill starts: they keep moving with real time (so retries and
    leases fall due) while reading the moment the test planned for, on whatever day the suite runs.
    """

    def __init__(self, tz: str = "Europe/Amsterdam", offset: timedelta = timedelta(0)) -> None:
        self._tz = ZoneInfo(tz)
        self._offset = offset

    def now(self) -> datetime:
        return (datetime.now(UTC) + self._offset).astimezone(self._tz)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._moment = moment

    def now(self) -> datetime:
        return self._moment

    def advance(self, delta: timedelta) -> None:
        self._moment = self._moment + delta
