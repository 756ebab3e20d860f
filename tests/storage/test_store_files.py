"""The SQLite store at rest: its file, its -wal and -shm files and the folder vhbot makes are its owner's only."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from sqlalchemy import text

from storage.db import _sqlite_pragmas, create_engine


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def write_once(database: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    async with engine.begin() as connection:  # WAL mode: the -wal and -shm files exist while it is open
        await connection.execute(text("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY)"))
        await connection.execute(text("INSERT INTO probe DEFAULT VALUES"))
        for suffix in ("-wal", "-shm"):
            side = database.with_name(database.name + suffix)
            assert side.exists() and mode(side) == 0o600, (suffix, oct(mode(side)))
    await engine.dispose()


async def test_a_new_store_and_its_folder_are_private(tmp_path: Path) -> None:
    database = tmp_path / "data" / "vhbot" / "vhbot.sqlite3"
    await write_once(database)
    assert mode(database) == 0o600
    assert mode(database.parent) == 0o700


async def test_a_store_left_readable_by_an_earlier_version_is_tightened_at_open(tmp_path: Path) -> None:
    database = tmp_path / "vhbot.sqlite3"
    await write_once(database)
    database.chmod(0o644)
    await write_once(database)
    assert mode(database) == 0o600


async def test_deleted_rows_are_overwritten_not_left_in_free_pages(tmp_path: Path) -> None:
    """A purged case must not stay readable in the file's free pages, whatever SQLite was compiled with."""
    database = tmp_path / "vhbot.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    marker = "kanarieverwijderd" * 40
    async with engine.begin() as connection:
        assert (await connection.execute(text("PRAGMA secure_delete"))).scalar() == 1
        await connection.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY, body TEXT)"))
        await connection.execute(text("INSERT INTO probe (body) VALUES (:body)"), {"body": marker})
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM probe"))
    await engine.dispose()  # the last connection to close checkpoints the WAL into the file
    files = [database, database.with_name(database.name + "-wal")]
    assert not any(marker.encode() in path.read_bytes() for path in files if path.exists())


def test_every_connection_turns_secure_delete_on_whatever_the_library_default() -> None:
    """Debian builds SQLite with secure delete on by default; other builds do not, so the store asks for it."""
    connection = sqlite3.connect(":memory:")
    connection.execute("PRAGMA secure_delete=OFF")  # as a library built without it starts
    _sqlite_pragmas(connection, None)
    assert connection.execute("PRAGMA secure_delete").fetchone() == (1,)
    connection.close()
