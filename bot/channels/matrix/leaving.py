"""The bot leaves the direct chats it no longer needs: those of people whose account was disabled, and those of
Matrix ids it let in to ask that never became anyone's address. Each room the account is in makes every one of
its syncs slower on the homeserver (issue 22: a region's account holds thousands), and a disabled person's chat
has nothing more to carry. Whoever is let in again gets a new chat when the bot next writes, or opens one.

Run between syncs by the one process that serves the account: at its start, then hourly, a batch at a time so
that a sync never waits long.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from bot import metrics
from bot.app import App
from bot.channels.matrix.connection import MatrixConnection
from storage import matrix_rooms

log = logging.getLogger(__name__)

BATCH = 20
INTERVAL_SECONDS = 3600.0


class Leaving:
    def __init__(self, app: App, account: str) -> None:
        self._app = app
        self._account = account
        self._due = 0.0  # monotonic; at once in a process that has just begun to serve

    async def when_due(self, connection: MatrixConnection) -> None:
        """One batch if it is time; the next batch at the next sync while there are more."""
        if time.monotonic() < self._due:
            return
        strangers_before = self._app.now() - timedelta(minutes=self._app.settings.dialogue_timeout_minutes)
        async with self._app.sessions() as session:
            rooms = await matrix_rooms.not_needed(session, self._account, strangers_before, BATCH)
        left = {
            person: room_id for person, room_id in rooms.items() if await connection.leave(person, room_id)
        }
        if left:
            async with self._app.sessions() as session, session.begin():
                for person, room_id in left.items():
                    await matrix_rooms.forget(session, self._account, person, room_id)
            metrics.MATRIX_ROOMS_LEFT.inc(len(left))
            log.info("matrix: left %d chats no longer needed", len(left))
        more = len(rooms) == BATCH and len(left) == len(rooms)
        self._due = 0.0 if more else time.monotonic() + INTERVAL_SECONDS
