"""The restore drill: a store filled through real conversations is dumped with pg_dump, restored into a fresh
database, and read back whole with the same key; without the key, vhbot stops with a clear line and changes
nothing. On a PostgreSQL cluster of the test's own."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select, text

from bot.app import App, build_app
from config.settings import Settings
from handlers.dates.clock import FixedClock
from storage import migrate
from storage.crypto import new_key_entry
from storage.models import Action, Case, CaseSubject, Feedback
from storage.revisions import head_revision
from tests.conftest import NOW, TEST_KEYS, Chat, load_demo_apart
from tests.seeding import Markers, decrypted_texts, seed_every_field
from tests.throwaway_postgres import ThrowawayCluster

VHBOT = str(Path(sys.executable).parent / "vhbot")


def app_on(cluster: ThrowawayCluster, database: str, folder: Path, keys: str = TEST_KEYS) -> App:
    settings = Settings(
        data_dir=folder,
        database_url=cluster.url_of(database),
        encryption_keys=SecretStr(keys),
    )
    return build_app(settings, FixedClock(NOW))


@pytest.fixture
async def filled(tmp_path: Path) -> AsyncIterator[tuple[ThrowawayCluster, Markers, str]]:
    cluster = ThrowawayCluster()
    cluster.start()
    app = app_on(cluster, "postgres", tmp_path)
    try:
        await migrate.upgrade(app.engine)
        await load_demo_apart(app, app.now())
        markers = await seed_every_field(Chat(app), app)
        original = await decrypted_texts(app)
        yield cluster, markers, original
    finally:
        await app.close()
        cluster.remove()


async def counts(app: App) -> tuple[int, ...]:
    found = []
    async with app.sessions() as session:
        for table in (Case, Action, Feedback, CaseSubject):
            found.append(int(await session.scalar(select(func.count()).select_from(table)) or 0))
    return tuple(found)


async def test_a_dump_restores_into_a_fresh_database_and_reads_back_with_the_same_key(
    filled: tuple[ThrowawayCluster, Markers, str], tmp_path: Path
) -> None:
    cluster, markers, original = filled
    dump = tmp_path / "vhbot.dump"
    for step in (
        ("pg_dump", "-Fc", "-f", str(dump), "postgres"),
        ("createdb", "restored"),
        ("pg_restore", "-d", "restored", str(dump)),
    ):
        await asyncio.to_thread(cluster.client, *step)

    restored = app_on(cluster, "restored", tmp_path)
    try:
        await restored.open()
        assert await decrypted_texts(restored) == original  # every case, action, update and detail
        assert markers.goal in original and markers.name in original
        before = await counts(restored)
        assert before[0] and before[1] and before[3]  # cases, actions and identifying details came back
    finally:
        await restored.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith("VHBOT_")} | {
        "VHBOT_DATA_DIR": str(tmp_path / "elsewhere"),
        "VHBOT_DATABASE_URL": cluster.url_of("restored"),
        "VHBOT_ENCRYPTION_KEYS": new_key_entry(),  # not the key the store was written with
    }
    command = [VHBOT, "users", "list"]
    refused = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, check=False
    )
    assert refused.returncode == 2 and "encrypted with key" in refused.stderr and not refused.stdout
    assert "Traceback" not in refused.stderr
    again = app_on(cluster, "restored", tmp_path)
    try:
        assert await counts(again) == before  # nothing changed
        async with again.engine.connect() as connection:
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        assert version == head_revision()
    finally:
        await again.close()
