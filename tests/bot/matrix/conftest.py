"""Matrix fixtures: one Synapse per test session on loopback, a fresh bot account and fresh people per test,
and the bot itself (channel + delivery engine) running in this process against the real homeserver."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest
from pydantic import SecretStr

from bot.app import App
from bot.channels.matrix.channel import MatrixChannel
from bot.channels.matrix.sender import MatrixSender
from bot.demo import PEOPLE as DEMO_PEOPLE
from config.settings import Settings
from tests.bot.matrix.element import ElementPerson, node_with_matrix_js_sdk_or_skip
from tests.bot.matrix.homeserver import Homeserver, synapse_python
from tests.bot.matrix.person import Correspondent, Person
from tests.bot.serving import serve
from tests.conftest import link_address

PASSWORD = "secret-password"


DEMO_HANDLES = {handle for handle, *_ in DEMO_PEOPLE}


@pytest.fixture(scope="session")
def homeserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Homeserver]:
    server = Homeserver(synapse_python(), tmp_path_factory.mktemp("synapse"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(settings: Settings, homeserver: Homeserver, tmp_path: Path) -> Settings:
    """The store settings of the parent fixture, plus a bot account of its own on the test homeserver."""
    bot = homeserver.register(f"vhbot-{uuid.uuid4().hex[:8]}", PASSWORD)
    return settings.model_copy(
        update={
            "matrix_homeserver": homeserver.url,
            "matrix_user_id": bot,
            "matrix_password": SecretStr(PASSWORD),
            "matrix_store_dir": tmp_path / "matrix-store",
            "matrix_sync_timeout_ms": 2000,
            "matrix_key_wait_seconds": 3.0,
            # Referrals hand out a link to the form page for identifying details (tests/bot/test_form_page.py
            # opens such links in a browser; here it is enough that the link opens the form).
            "public_url": PUBLIC_URL,
            "outbox_poll_seconds": 0.2,
            # The test clock stands on a Monday morning; let the engine send whatever falls due.
            "send_on_non_working_days": True,
        }
    )


PUBLIC_URL = "https://vhbot.test"


class RunningBot:
    """The Matrix channel and the delivery engine, as ``vhbot serve`` runs them, until stopped."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.user_id = str(app.settings.matrix_user_id)
        self.channel: MatrixChannel | None = None
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._stop = asyncio.Event()
        self.channel = MatrixChannel(self.app)
        channel = self.channel
        self._tasks = await serve(self.app, channel.run, channel.serving, MatrixSender(channel), self._stop)

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)
        self._tasks = []

    async def restart(self) -> None:
        await self.stop()
        await self.start()


@pytest.fixture
async def bot(demo: App) -> AsyncIterator[RunningBot]:
    running = RunningBot(demo)
    await running.start()
    yield running
    await running.stop()


Meet = Callable[[str], Awaitable[Person]]
MeetAtElement = Callable[[str], Awaitable[ElementPerson]]
MeetAnywhere = Callable[[str], Awaitable[Correspondent]]
Client = TypeVar("Client", bound=Correspondent)


@pytest.fixture
async def meet(demo: App, homeserver: Homeserver, tmp_path: Path) -> AsyncIterator[Meet]:
    """A demo professional at their own Matrix client, a matrix-nio one (a fresh account, linked to them in the
    store); pass a handle the store does not know to get an unregistered person."""
    async with people(demo, homeserver, partial(Person, homeserver.url, store=tmp_path / "people")) as meet:
        yield meet


@pytest.fixture
async def meet_at_element(demo: App, homeserver: Homeserver) -> AsyncIterator[MeetAtElement]:
    """As ``meet``, at an Element-grade client: matrix-js-sdk with its Rust crypto."""
    node_with_matrix_js_sdk_or_skip()
    async with people(demo, homeserver, partial(ElementPerson, homeserver.url)) as meet:
        yield meet


@pytest.fixture(params=["matrix-nio", "matrix-js-sdk"])
async def meet_anywhere(
    request: pytest.FixtureRequest, demo: App, homeserver: Homeserver, tmp_path: Path
) -> AsyncIterator[MeetAnywhere]:
    """As ``meet``, once at each of the two independent client implementations."""
    client_for: Callable[[str], Correspondent] = partial(Person, homeserver.url, store=tmp_path / "people")
    if request.param == "matrix-js-sdk":
        node_with_matrix_js_sdk_or_skip()
        client_for = partial(ElementPerson, homeserver.url)
    async with people(demo, homeserver, client_for) as meet:
        yield meet


@asynccontextmanager
async def people(
    demo: App, homeserver: Homeserver, client_for: Callable[[str], Client]
) -> AsyncIterator[Callable[[str], Awaitable[Client]]]:
    """Meets people at the clients ``client_for`` makes for a user id, and stops those clients afterwards."""
    clients: list[Client] = []

    async def person(handle: str) -> Client:
        user_id = homeserver.register(f"{handle}-{uuid.uuid4().hex[:6]}", PASSWORD)
        if handle in DEMO_HANDLES:  # anyone else is a Matrix account the store does not know
            await link_address(demo, handle, "matrix", user_id)
        client = client_for(user_id)
        clients.append(client)
        await client.start(PASSWORD)
        return client

    try:
        yield person
    finally:
        for client in clients:
            await client.stop()
