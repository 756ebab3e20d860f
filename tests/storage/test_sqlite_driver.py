"""SQLite through aiosqlite with one hop to its thread per statement: results, counts and errors as before."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import aiosqlite
import pytest
from sqlalchemy import Column, CursorResult, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine, session_factory
from storage.sqlite_driver import OneHopDBAPI

METADATA = MetaData()
NOTES = Table(
    "notes",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("code", String, unique=True, nullable=False),
    Column("body", String),
)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'notes.sqlite3'}")
    async with engine.begin() as connection:
        await connection.run_sync(METADATA.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls handed to aiosqlite's thread, by name."""
    calls: list[str] = []
    handing_over: Callable[..., Awaitable[Any]] = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, function: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(function, "__name__", repr(function)))
        return await handing_over(self, function, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return calls


async def test_the_store_uses_it(engine: AsyncEngine) -> None:
    assert isinstance(engine.dialect.dbapi, OneHopDBAPI)


async def test_each_statement_is_one_hop_and_the_commit_another(engine: AsyncEngine, hops: list[str]) -> None:
    sessions = session_factory(engine)
    async with sessions() as session:
        await session.execute(text("SELECT 1"))  # a connection from the pool, ready for use
        hops.clear()
        await session.execute(insert(NOTES).values(code="a", body="first"))
        assert (await session.execute(select(NOTES.c.body))).scalars().all() == ["first"]
        await session.commit()
    assert hops == ["_run", "_run", "commit"]


async def test_rows_counts_and_new_ids_are_what_sqlite_gives(engine: AsyncEngine) -> None:
    async with session_factory(engine)() as session, session.begin():
        many = await session.execute(insert(NOTES), [{"code": f"n{n}", "body": "x"} for n in range(3)])
        assert cast(CursorResult[Any], many).rowcount == 3
        one = cast(CursorResult[Any], await session.execute(insert(NOTES).values(code="z", body="y")))
        assert one.inserted_primary_key is not None and one.inserted_primary_key[0] == 4
        changed = await session.execute(update(NOTES).where(NOTES.c.body == "x").values(body="changed"))
        assert cast(CursorResult[Any], changed).rowcount == 3
        returned = await session.execute(
            update(NOTES).where(NOTES.c.code == "z").values(body="last").returning(NOTES.c.id, NOTES.c.body)
        )
        assert returned.all() == [(4, "last")]
        rows = await session.execute(select(NOTES.c.code, NOTES.c.body).order_by(NOTES.c.id.desc()))
        assert list(rows.keys()) == ["code", "body"]
        assert rows.all() == [("z", "last"), ("n2", "changed"), ("n1", "changed"), ("n0", "changed")]
        nothing = await session.execute(select(NOTES.c.code).where(NOTES.c.code == "absent"))
        assert nothing.first() is None


async def test_a_failing_statement_raises_sqlalchemys_error_and_leaves_nothing_half_written(
    engine: AsyncEngine,
) -> None:
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await session.execute(insert(NOTES).values(code="kept", body="before"))
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            await session.execute(insert(NOTES).values(code="new", body="in the same transaction"))
            await session.execute(insert(NOTES).values(code="kept", body="again"))
    async with sessions() as session:
        assert (await session.execute(select(NOTES.c.code))).scalars().all() == ["kept"]
