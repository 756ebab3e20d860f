"""The recording channel: deliveries appended as JSON lines to a file.

For an operator's dry run and for tests of the delivery engine. It honours the idempotency key the way Matrix
honours a transaction id, across processes sharing the file: a key already delivered is delivered no more, and the
attempt is written down as a ``repeat`` so a test can count what the engine tried twice.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import time
from pathlib import Path
from typing import Any, TextIO

from bot.senders import Outgoing
from storage.models import Professional


class RecordingSender:
    name = "recording"

    def __init__(self, path: Path, delay_seconds: float = 0.0) -> None:
        self.path = path
        self._delay = delay_seconds
        self._known: set[str] = set()
        self._read_up_to = 0
        self._file: TextIO | None = None

    def address(self, person: Professional) -> str | None:
        return person.handle

    def scope(self, address: str) -> str:
        return self.name

    def ready(self) -> bool:
        return True

    async def send(self, address: str, message: Outgoing) -> str:
        if self._delay:
            await asyncio.sleep(self._delay)
        record = {"key": message.key, "to": address, "text": message.reply.text, "at": time.time()}
        self._append(record)
        return f"{self.name}:{address}"

    def _append(self, record: dict[str, Any]) -> None:
        """Under an exclusive lock: catch up on what other processes wrote, then append.

        A local append of one line takes microseconds, so it runs on the event loop rather than in a thread.
        """
        if self._file is None:
            self._file = self.path.open("a+", encoding="utf-8")
        file = self._file
        fcntl.flock(file, fcntl.LOCK_EX)
        try:
            file.seek(self._read_up_to)
            for seen in file:
                self._known.add(json.loads(seen)["key"])
            record.update(pid=os.getpid(), repeat=record["key"] in self._known)
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
            file.flush()
            self._known.add(record["key"])
            self._read_up_to = file.tell()
        finally:
            fcntl.flock(file, fcntl.LOCK_UN)


def read_recording(path: Path, *, repeats: bool = False) -> list[dict[str, Any]]:
    """Every delivery recorded in ``path``, in order; with ``repeats``, also the attempts the key dropped."""
    if not path.exists():
        return []
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [record for record in records if repeats or not record["repeat"]]
