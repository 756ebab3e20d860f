"""The bookkeeping of one sync: which of its messages are still being handled, so that its token is stored only
once all of them are, and the transaction ids that make a resent answer a no-op."""

from __future__ import annotations

import asyncio
import hashlib
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
