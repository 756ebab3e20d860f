"""The bookkeeping of one sync: which of its messages are still being handled, so that its token is stored only
once all of them are, the transaction ids that make a resent answer a no-op, and the events already seen."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field

from nio import Event


class SyncFailed(Exception):
    """The homeserver answered a sync with an error (it is restarting, overloaded): back off and sync again."""


@dataclass
class SyncBatch:
    """The messages of one sync; its token may be stored once all of them are handled."""

    token: str
    remaining: int = 0
    sealed: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self) -> None:
        self.remaining += 1

    def finish_one(self) -> None:
        self.remaining -= 1
        self._check()

    def seal(self) -> None:
        self.sealed = True
        self._check()

    def _check(self) -> None:
        if self.sealed and self.remaining == 0:
            self.done.set()


@dataclass(frozen=True)
class Item:
    room_id: str
    event: Event
    batch: SyncBatch


def transaction_id(message_id: str, index: int) -> str:
    """The same answer to the same message always has the same transaction id: a resend is a no-op."""
    return hashlib.sha256(f"{message_id}/{index}".encode()).hexdigest()[:32]


class SeenEvents:
    """A cheap in-memory filter for repeats within this run (the last ten thousand events); the store's record of
    handled messages is the real guard."""

    MEMORY = 10_000

    def __init__(self) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_sight(self, event_id: str) -> bool:
        if event_id in self._seen:
            return False
        self._seen[event_id] = None
        if len(self._seen) > self.MEMORY:
            self._seen.popitem(last=False)
        return True
