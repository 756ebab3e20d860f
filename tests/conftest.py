"""Shared fixtures: a settable clock, and a migrated case store on real SQLite and real PostgreSQL.

PostgreSQL tests use the server on 127.0.0.1:5432 (database ``test``) in a schema of their own, so
parallel runs and other users of the database are not disturbed. They are skipped only when no server
answers, unless ``VHBOT_REQUIRE_POSTGRES=1`` (set by .ci/run), which turns that into a failure.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import delete, text

from bot.app import App, build_app
from bot.channels.terminal import TerminalChannel
from bot.demo import load_demo
from config.settings import Settings
from handlers.dates.clock import FixedClock, SystemClock
from storage import migrate, people
from storage.crypto import new_key_entry
from storage.db import create_engine
from storage.models import Base, Organisation, Professional, Role
from storage.retention import AUDIT_PURGE_SETTING
from tests.throwaway_postgres import ThrowawayCluster

if TYPE_CHECKING:
    from tests.test_database_roles import Cluster

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=AMSTERDAM)  # a Monday
# Processes a test starts (and the in-process apps that share their store) cannot stand still: retries and leases
# must fall due. They run on a clock that read NOW when this run began and moves with real time, the same in every
# process, so what a test types is right for them on whatever day the suite runs.
RUNNING_CLOCK_OFFSET = NOW - datetime.now(UTC)
RUNNING_CLOCK_ENV = {"VHBOT_CLOCK_OFFSET": str(RUNNING_CLOCK_OFFSET.total_seconds())}
PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_URL = f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/test"
# This run's encryption key (processes the tests start get it as VHBOT_ENCRYPTION_KEYS).
TEST_KEYS = new_key_entry()
# The test clock stands still, so every message of a test falls in the same minute and every lookup in the same
# hour: the abuse limits are lifted (tests/test_rate_limits.py sets its own).
FROZEN_CLOCK_RATE = 100_000


def postgres_reachable() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            return True
    except OSError:
        return False


def require_postgres() -> None:
    if postgres_reachable():
        return
    reason = f"PostgreSQL server not reachable on {PG_HOST}:{PG_PORT} (install/start postgresql)"
    if os.environ.get("VHBOT_REQUIRE_POSTGRES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def running_clock() -> SystemClock:
    """The clock of the processes a test starts (see RUNNING_CLOCK_OFFSET)."""
    return SystemClock(offset=RUNNING_CLOCK_OFFSET)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per session; each test gets a copy (migrating per test is slow)."""
    import asyncio

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"

    async def build() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await migrate.upgrade(engine)
        await engine.dispose()

    asyncio.run(build())
    return path


@pytest.fixture(scope="session")
async def postgres_schema() -> AsyncIterator[str]:
    require_postgres()
    schema = f"vhbot_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(PG_URL, schema)
    await migrate.upgrade(engine)
    await engine.dispose()
    yield schema
    async with admin.begin() as connection:
        await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await admin.dispose()


async def _truncate_postgres(app: App) -> None:
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with app.engine.begin() as connection:
        await connection.execute(text(f"SET LOCAL {AUDIT_PURGE_SETTING} = 'on'"))  # the audit trail allows it
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Settings:
    """Settings pointing at a fresh SQLite copy, or at this run's PostgreSQL schema."""
    if request.param == "sqlite":
        database = tmp_path / "vhbot.sqlite3"
        shutil.copy(sqlite_template, database)
        return Settings(
            data_dir=tmp_path,
            database_url=f"sqlite+aiosqlite:///{database}",
            encryption_keys=SecretStr(TEST_KEYS),
            rate_messages_per_minute=FROZEN_CLOCK_RATE,
            rate_lookup_misses_per_hour=FROZEN_CLOCK_RATE,
        )
    require_postgres()
    schema = request.getfixturevalue("postgres_schema")
    return Settings(
        data_dir=tmp_path,
        database_url=PG_URL,
        database_schema=schema,
        encryption_keys=SecretStr(TEST_KEYS),
        rate_messages_per_minute=FROZEN_CLOCK_RATE,
        rate_lookup_misses_per_hour=FROZEN_CLOCK_RATE,
    )


@pytest.fixture
async def app(settings: Settings, clock: FixedClock) -> AsyncIterator[App]:
    """A migrated, empty store on the chosen backend, with the dispatcher on the test clock."""
    built = build_app(settings, clock)
    if settings.database_schema:
        await _truncate_postgres(built)
    yield built
    await built.close()


# Where each table's ids start in a test store: far from 1 and from each other, so no id equals a position in a
# list by chance (a button's key read as a position once gave a case to the wrong procesregisseur, unnoticed while
# ids and positions agreed).
PLACEHOLDER = "placeholder"
ID_STARTS = {"organisations": 41, "professionals": 73, "cases": 107, "actions": 131, "join_requests": 163}


async def spread_ids(app: App) -> None:
    """Make a fresh store number new rows from ``ID_STARTS``. PostgreSQL: every sequence is set. SQLite numbers
    a row one past the highest id, so a placeholder row stands just below the start until ``load_demo_apart``
    has added the demo organisations and people, and is removed then (for the other tables PostgreSQL is the
    backend where ids and positions differ)."""
    async with app.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table, start in ID_STARTS.items():
                await connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                    {"table": table, "last": start - 1},
                )
            return
    async with app.sessions() as session, session.begin():
        organisation = Organisation(id=ID_STARTS["organisations"] - 1, name=PLACEHOLDER, type="zvh")
        session.add(organisation)
        await session.flush()
        session.add(
            Professional(
                id=ID_STARTS["professionals"] - 1,
                handle=PLACEHOLDER,
                name=PLACEHOLDER,
                organisation_id=organisation.id,
                role=Role.MELDER,
                active=False,
                created_at=NOW,
            )
        )


async def load_demo_apart(app: App, now: datetime) -> None:
    """The demo organisations and people, numbered from ``ID_STARTS`` on either backend."""
    await spread_ids(app)
    async with app.sessions() as session, session.begin():
        await load_demo(session, now)
    async with app.engine.begin() as connection:
        await connection.execute(delete(Professional).where(Professional.handle == PLACEHOLDER))
        await connection.execute(delete(Organisation).where(Organisation.name == PLACEHOLDER))


@pytest.fixture
async def demo(app: App, clock: FixedClock) -> App:
    """The store with the demo organisations and people (ids apart from list positions)."""
    await load_demo_apart(app, clock.now())
    return app


class Says(Protocol):
    """Whatever sends one person's messages and returns the answer to the last: a terminal chat, a Teams bot."""

    async def __call__(self, handle: str, *messages: str) -> str: ...


class Chat:
    """A terminal conversation per professional, with the replies of the last message as one text."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._channels: dict[str, TerminalChannel] = {}

    async def __call__(self, handle: str, *messages: str) -> str:
        channel = self._channels.setdefault(handle, TerminalChannel(self.app.dispatcher, handle))
        replies: list[str] = []
        for message in messages:
            replies = await channel.send(message)
        return "\n".join(replies)


@pytest.fixture
def chat(demo: App) -> Chat:
    return Chat(demo)


async def set_active(app: App, handle: str, active: bool) -> None:
    """Disable a demo professional's account, or enable it again."""
    async with app.sessions() as session, session.begin():
        person = await people.professional_by_handle(session, handle)
        assert person is not None, handle
        person.active = active


async def link_address(app: App, handle: str, channel: str, address: str) -> None:
    """Give a demo professional an address on a channel (a Matrix account, a Teams object id)."""
    async with app.sessions() as session, session.begin():
        person = await people.professional_by_handle(session, handle)
        assert person is not None, handle
        await people.set_address(session, person.id, channel, address)


@asynccontextmanager
async def store_held(app: App) -> AsyncIterator[None]:
    """Another writer holds the store: no message can be recorded as handled until it lets go."""
    if app.settings.database_schema:
        async with app.engine.connect() as connection, connection.begin():
            await connection.execute(text("LOCK TABLE inbound_messages IN EXCLUSIVE MODE"))
            yield
        return
    url = app.settings.resolved_database_url.removeprefix("sqlite+aiosqlite:///")
    holder = sqlite3.connect(url, isolation_level=None, check_same_thread=False)
    # Waiting for the lock off the event loop: the bot's own transaction in flight must be able to finish.
    await asyncio.to_thread(holder.execute, "BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("COMMIT")
        holder.close()


VHBOT = str(Path(sys.executable).parent / "vhbot")


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The installed 'vhbot' in a subprocess, as an operator runs it, on a data directory of its own; keyword
    arguments are settings (``config_dir=…`` is VHBOT_CONFIG_DIR)."""
    env = (
        {k: v for k, v in os.environ.items() if not k.startswith("VHBOT_")}
        | {"VHBOT_DATA_DIR": str(tmp_path)}
        | RUNNING_CLOCK_ENV
    )

    def invoke(*args: str, stdin: str = "", **settings: str) -> subprocess.CompletedProcess[str]:
        extra = {f"VHBOT_{name.upper()}": value for name, value in settings.items()}
        return subprocess.run(
            [VHBOT, *args],
            check=False,
            input=stdin,
            capture_output=True,
            text=True,
            env=env | extra,
            timeout=120,
        )

    return invoke


# What the built wheel holds (see the fixture below).
SHIPPED = ("bot", "handlers", "storage", "config", "pyproject.toml", "README.md")
REPOSITORY = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` directory of a fresh environment with the wheel installed (not editable). The dependencies
    come from this run's environment, read-only, so no index is needed; vhbot itself only from the wheel."""
    work = tmp_path_factory.mktemp("installed")
    source = work / "source"
    for name in SHIPPED:
        copy = shutil.copytree if (REPOSITORY / name).is_dir() else shutil.copy2
        copy(REPOSITORY / name, source / name)
    for cache in source.rglob("__pycache__"):
        shutil.rmtree(cache)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(work), str(source)], check=True)
    wheel = next(work.glob("vhbot-*.whl"))
    environment = work / "env"
    subprocess.run([sys.executable, "-m", "venv", str(environment)], check=True)
    site = next((environment / "lib").glob("python3*/site-packages"))
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [environment / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", wheel], check=True
    )
    return environment / "bin"


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    """A PostgreSQL cluster of the test's own, for the README's roles (``tests.test_database_roles.Cluster``)."""
    from tests.test_database_roles import Cluster

    server = ThrowawayCluster()
    server.start()
    try:
        yield Cluster(server, tmp_path)
    finally:
        server.remove()
