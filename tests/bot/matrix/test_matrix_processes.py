"""Two real `vhbot serve` processes on PostgreSQL with the Matrix channel: exactly one syncs the account, the
other stands by, and takes over when the first is killed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.app import App
from tests.bot.matrix.conftest import PASSWORD
from tests.bot.matrix.homeserver import ROOT, Homeserver
from tests.bot.matrix.person import Person
from tests.bot.test_delivery_processes import store  # noqa: F401 - the PostgreSQL store fixture
from tests.conftest import PG_URL, RUNNING_CLOCK_ENV, TEST_KEYS, link_address

UNKNOWN = "Dat begrijp ik niet"


class Process:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )

    async def says(self, fragment: str, seconds: float = 30.0) -> None:
        async with asyncio.timeout(seconds):
            while fragment not in self.log.read_text():
                assert self.popen.poll() is None, self.log.read_text()
                await asyncio.sleep(0.1)


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        if process.popen.poll() is None:
            os.kill(process.popen.pid, signal.SIGTERM)
            process.popen.wait(timeout=20)


def bot_account(app: App, homeserver: Homeserver, tmp_path: Path, **extra: str) -> tuple[str, dict[str, str]]:
    """A new bot account, and the environment a ``vhbot serve`` process needs to serve it from the store."""
    bot = homeserver.register(f"vhbot-{uuid.uuid4().hex[:8]}", PASSWORD)
    env = {
        **os.environ,
        "VHBOT_DATABASE_URL": PG_URL,
        "VHBOT_DATABASE_SCHEMA": str(app.settings.database_schema),
        "VHBOT_ENCRYPTION_KEYS": TEST_KEYS,
        "VHBOT_MATRIX_HOMESERVER": homeserver.url,
        "VHBOT_MATRIX_USER_ID": bot,
        "VHBOT_MATRIX_PASSWORD": PASSWORD,
        "VHBOT_MATRIX_STORE_DIR": str(tmp_path / "matrix-store"),
        "VHBOT_MATRIX_SYNC_TIMEOUT_MS": "2000",
        **RUNNING_CLOCK_ENV,
        **extra,
    }
    return bot, env


async def professional_at_matrix(app: App, homeserver: Homeserver, handle: str, tmp_path: Path) -> Person:
    """A demo professional at a Matrix client of their own (a fresh account, linked to them in the store)."""
    user_id = homeserver.register(f"{handle}-{uuid.uuid4().hex[:6]}", PASSWORD)
    await link_address(app, handle, "matrix", user_id)
    person = Person(homeserver.url, user_id, tmp_path / handle)
    await person.start(PASSWORD)
    return person


@pytest.fixture
async def agent(store: App, homeserver: Homeserver, tmp_path: Path) -> AsyncIterator[Person]:  # noqa: F811
    person = await professional_at_matrix(store, homeserver, "agent", tmp_path)
    yield person
    await person.stop()


async def test_one_process_syncs_and_the_other_takes_over(
    store: App,  # noqa: F811
    agent: Person,
    homeserver: Homeserver,
    processes: list[Process],
    tmp_path: Path,
) -> None:
    bot, env = bot_account(store, homeserver, tmp_path)
    first = Process(env, tmp_path / "first.log")
    processes.append(first)
    await first.says("this process now serves")
    second = Process(env, tmp_path / "second.log")
    processes.append(second)
    await second.says("another process serves")

    room = await agent.open_direct_chat(bot)
    assert "check" in await agent.ask(room, "help")
    assert await agent.nothing_arrives(2.0)  # one answer: only one process syncs

    os.kill(first.popen.pid, signal.SIGKILL)
    first.popen.wait()
    await second.says("this process now serves")
    assert UNKNOWN in await agent.ask(room, "onzin")
    assert await agent.nothing_arrives(2.0)
    assert (tmp_path / "second.log").read_text().count("now serves") == 1
