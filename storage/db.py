"""Engine and session factory for any SQLAlchemy async URL (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.crypto import Keyring, attach


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite enforces foreign keys only when asked, and waits for a busy writer instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_engine(
    url: str, schema: str | None = None, keyring: Keyring | None = None, **options: Any
) -> AsyncEngine:
    """An async engine for ``url``; an SQLite file's folder is created on first use.

    ``schema`` puts all of vhbot's tables in one PostgreSQL schema, for a database shared with others.
    ``keyring`` encrypts and decrypts the encrypted columns (an engine without one cannot touch them).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
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


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (replies are built after the transaction)."""
    return async_sessionmaker(engine, expire_on_commit=False)
