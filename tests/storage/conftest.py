"""Stores as an older version left them, for the tests of the migrations that upgrade them."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import migrate
from storage.crypto import Keyring
from storage.db import create_engine
from tests.conftest import PG_URL, require_postgres

Store = tuple[str, str | None]
OldStore = Callable[[str, Sequence[str], Keyring | None], Awaitable[Store]]


@pytest.fixture(params=["sqlite", "postgresql"])
async def store_at(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[OldStore]:
    """A function giving (url, schema) of a new store migrated up to a revision, with rows inserted there."""
    if request.param == "sqlite":
        url, schema = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}", None
    else:
        require_postgres()
        url, schema = PG_URL, f"vhbot_old_{uuid.uuid4().hex[:8]}"

    async def make(revision: str, rows: Sequence[str], keyring: Keyring | None = None) -> Store:
        if schema:
            admin = create_engine(url)
            async with admin.begin() as connection:
                await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            await admin.dispose()
        engine = create_engine(url, schema, keyring)
        await migrate.upgrade(engine, revision)
        async with engine.begin() as connection:
            for statement in rows:
                await connection.execute(text(statement))
        await engine.dispose()
        return url, schema

    yield make
    if schema:
        admin = create_engine(url)
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()
    shutil.rmtree(tmp_path, ignore_errors=True)
