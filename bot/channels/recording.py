"""The recording channel: deliveries appended as JSON lines to a file.

For an operator's dry run and for tests of the delivery engine. It honours the idempotency key the way Matrix
honours a transaction id, across processes sharing the file: a key already recorded is not recorded again.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import time
from pathlib import Path
from typing import Any

from bot.senders import Outgoing
from storage.models import Professional


class RecordingSender:
    name = "recording"

    def __init__(self, path: Path, delay_seconds: float = 0.0) -> None:
        self.path = path
        self._delay = delay_seconds
        self._known: set[str] = set()
        self._read_up_to = 0
        self.attempts = 0

    def address(self, person: Professional) -> str | None:
        return person.handle

    def scope(self, address: str) -> str:
        return self.name

    async def send(self, address: str, message: Outgoing) -> str:
        if self._delay:
            await asyncio.sleep(self._delay)
        self.attempts += 1
        record = {"key": message.key, "to": address, "text": message.reply.text, "at": time.time()}
        await asyncio.to_thread(self._append_once, message.key, json.dumps(record, ensure_ascii=False))
        return f"{self.name}:{address}"

    def _append_once(self, key: str, line: str) -> None:
        """Under an exclusive lock: catch up on what other processes wrote, then append unless seen."""
        with self.path.open("a+", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.seek(self._read_up_to)
            for seen in file:
                self._known.add(json.loads(seen)["key"])
            if key not in self._known:
                file.write(line + "\n")
                self._known.add(key)
            file.flush()
            self._read_up_to = file.tell()


def read_recording(path: Path) -> list[dict[str, Any]]:
    """Every delivery recorded in ``path``, in order."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
