"""Engine and session factory for any SQLAlchemy async URL (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.crypto import Keyring, attach
from storage.sqlite_driver import OneHopDBAPI


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite enforces foreign keys only when asked, and waits for a busy writer instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows (a purged case, its betrokkene's details) are overwritten, not left readable in free pages,
    # whatever the SQLite library was compiled with.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


# The drivers log every statement with its parameters at DEBUG: a typed holder or organisation name is a
# parameter in clear (only stored values are encrypted). No log level of vhbot may show what people type.
for _driver in ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool"):
    logging.getLogger(_driver).setLevel(logging.WARNING)


def _private_file(database: Path) -> None:
    """The SQLite file readable by its owner only (SQLite gives its -wal and -shm files the same mode), in a
    folder of its own made private where vhbot creates it; a store from an earlier version is tightened."""
    if not database.parent.exists():
        database.parent.mkdir(parents=True, mode=0o700)
    for path in (
        database,
        database.with_name(database.name + "-wal"),
        database.with_name(database.name + "-shm"),
    ):
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(0o600)
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))


def create_engine(
    url: str, schema: str | None = None, keyring: Keyring | None = None, **options: Any
) -> AsyncEngine:
    """An async engine for ``url``; an SQLite file's folder is created on first use.

    ``schema`` puts all of vhbot's tables in one PostgreSQL schema, for a database shared with others.
    ``keyring`` encrypts and decrypts the encrypted columns (an engine without one cannot touch them).
    Connections go back to the pool without the pool's own rollback: every session ends its transaction itself
    (commit, or rollback on close, which SQLAlchemy does before it returns the connection), so that rollback only
    cost a round trip after every transaction (on SQLite a hop to its thread). On SQLite each statement is one
    hop to aiosqlite's thread (``storage.sqlite_driver``).
    """
    options.setdefault("pool_reset_on_return", None)
    parsed = make_url(url)
    options.setdefault("hide_parameters", True)  # a statement in an error message never shows what was typed
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_file(Path(parsed.database))
        if parsed.get_driver_name() == "aiosqlite":
            options.setdefault("module", OneHopDBAPI())
        engine = create_async_engine(url, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        options.setdefault("pool_pre_ping", True)
        if schema:
            options.setdefault("connect_args", {})["server_settings"] = {"search_path": schema}
        engine = create_async_engine(url, **options)
    if keyring is not None:
        attach(engine.sync_engine, keyring)
    return engine


def one_writer(engine: AsyncEngine) -> AbstractAsyncContextManager[Any]:
    """What a message's transaction is taken under in this process: on SQLite one at a time, elsewhere none.

    SQLite has one writer. A second transaction that wants to write waits in SQLite's busy handler, which sleeps
    in steps of up to 100 ms: ten people asking ``status`` at the same moment waited up to a second (p95 0.93 s
    where one alone takes 16 ms), because each view writes its audit entry. Queued in the event loop instead,
    each waits only for the messages before it. PostgreSQL runs them side by side."""
    return asyncio.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (replies are built after the transaction)."""
    return async_sessionmaker(engine, expire_on_commit=False)
