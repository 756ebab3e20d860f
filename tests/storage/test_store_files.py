"""The SQLite store at rest: its file, its -wal and -shm files and the folder vhbot makes are its owner's only."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from storage.db import create_engine


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
