"""SQLite through aiosqlite with one hop to its thread per statement.

aiosqlite runs each SQLite call on a thread of its own and hands the result back through the event loop.
SQLAlchemy's adapter makes four such calls per statement (open a cursor, execute, fetch the rows, close the
cursor), each a hand-over to the thread, a wake-up of the loop and a greenlet switch: on a ``status`` through Teams
that was about 30 hand-overs, more time than the SQL itself. Here one function does all four on the thread and
brings back the rows with the description, row count and last row id, so a statement costs one hand-over.

Everything else (connecting, commit, rollback, closing, server-side cursors, the error classes SQLAlchemy maps)
is SQLAlchemy's own adapter. aiosqlite's ``Connection._execute`` (queue a call for its thread and await it) is the
one private name used; aiosqlite is pinned in constraints.txt and ``tests/storage/test_sqlite_driver.py`` fails
if it goes.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

Description = tuple[tuple[Any, ...], ...] | None
Outcome = tuple[Description, list[Any], int, int | None]


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """On aiosqlite's thread: the statement executed, its rows fetched and its cursor closed, in one call."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that holds a finished statement's outcome: nothing of it stays open on the thread."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    # There is no aiosqlite cursor to close when a result is handed to synchronous code: its rows are all here.
    _awaitable_cursor_close = False

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]  # SQLAlchemy's close() skips a cursor that is None
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Description = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]  # as sqlite3's: None before any insert

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    def execute(self, operation: Any, parameters: Any = None) -> None:
        self._run(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> None:
        self._run(operation, seq_of_parameters, many=True)

    def _run(self, operation: Any, parameters: Any, many: bool) -> None:
        try:
            await_(self._run_async(operation, parameters, many))
        except Exception as error:  # noqa: BLE001 - re-raised by SQLAlchemy's adapter, as its own cursor does
            self._adapt_connection._handle_exception(error)

    async def _run_async(self, operation: Any, parameters: Any, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            outcome: Outcome = await self._connection._execute(
                _run, self._connection._conn, operation, parameters, many
            )
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneHopCursor  # type: ignore[assignment]  # SQLAlchemy annotates it as its own cursor class


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """aiosqlite as SQLAlchemy adapts it, with connections whose cursors make one hop per statement."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> OneHopConnection:
        adapted = super().connect(*args, **kwargs)
        return OneHopConnection(self, adapted._connection)
