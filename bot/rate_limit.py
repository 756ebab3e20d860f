"""Per-person message pacing, kept in memory: a flood is answered with one short line per message, without
touching the store (which is what a flood would otherwise wear out)."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


class MessageRate:
    """At most ``limit`` messages per ``window`` per sender (a sliding window).

    Counted per process: with several processes behind a load balancer a sender may get up to that many times
    the limit, which still stops a flood.
    """

    def __init__(self, limit: int, window: timedelta) -> None:
        self._limit = limit
        self._window = window
        self._seen: dict[str, deque[datetime]] = {}

    def allow(self, sender: str, now: datetime) -> bool:
        times = self._seen.setdefault(sender, deque())
        while times and times[0] <= now - self._window:
            times.popleft()
        if len(times) >= self._limit:
            return False
        times.append(now)
        self._forget_quiet_senders(now)
        return True

    def _forget_quiet_senders(self, now: datetime) -> None:
        """Keeps the memory bounded by the senders active within one window."""
        if len(self._seen) > 10_000:
            self._seen = {s: t for s, t in self._seen.items() if t and t[-1] > now - self._window}
