"""'Exactly one process does this': a lock held for as long as the process lives and its store answers.

On PostgreSQL a session-level advisory lock on a dedicated connection: it is released by the server the moment
the holder dies or its connection breaks, so another process takes over without any timeout to tune. On SQLite,
whose processes share one machine, an exclusive ``flock`` on a file beside the database does the same.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key, stable across processes and Python versions."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


class Leadership:
    def __init__(self, engine: AsyncEngine, name: str, schema: str | None = None) -> None:
        self._engine = engine
        self._name = f"{schema or ''}:{name}"
        self._connection: AsyncConnection | None = None
        self._file: int | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None

    async def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; never waits."""
        if self.held:
            return await self.still_held()
        if self._engine.dialect.name == "postgresql":
            return await self._try_postgres()
        return self._try_file()

    async def still_held(self) -> bool:
        """False once the connection that holds the lock has gone (the server restarted, the network broke)."""
        if self._connection is None:
            return self._file is not None
        try:
            await self._connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            await self.release()
            return False
        return True

    async def release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                # Closed for real, not returned to the pool: ending the session releases its advisory lock.
                await connection.invalidate()
                await connection.close()
            except (SQLAlchemyError, OSError):
                pass
        if self._file is not None:
            os.close(self._file)  # closing the descriptor releases the flock
            self._file = None

    async def _try_postgres(self) -> bool:
        try:
            connection = await self._engine.connect()
        except (SQLAlchemyError, OSError):
            return False
        try:
            statement = text("SELECT pg_try_advisory_lock(:key)")
            got = (await connection.execute(statement, {"key": _lock_key(self._name)})).scalar()
            await connection.commit()
        except (SQLAlchemyError, OSError):
            await connection.invalidate()
            return False
        if not got:
            await connection.close()
            return False
        self._connection = connection
        return True

    def _try_file(self) -> bool:
        database = make_url(str(self._engine.url)).database or "vhbot"
        safe = hashlib.sha256(self._name.encode()).hexdigest()[:16]
        path = Path(f"{database}.{safe}.lock")
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return False
        self._file = descriptor
        return True
