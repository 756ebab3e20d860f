"""Teams fixtures: the bot's endpoint (local mode) and delivery engine running in this process, a fake Bot
Connector for its answers, and Teams-shaped activities from demo professionals."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.app import App
from bot.channels.teams.channel import TeamsChannel
from bot.channels.teams.sender import TeamsSender
from bot.web import WebSetupError
from config.settings import Settings
from tests.bot.serving import serve
from tests.bot.teams.connector import FakeConnector, free_port
from tests.conftest import link_address

TENANT = "11111111-2222-3333-4444-555555555555"
BOT_ID = "28:vhbot-app"
# The AAD object ids the demo professionals sign in to Teams with.
AAD = {
    "agent": "aaaaaaaa-0000-0000-0000-000000000001",
    "regisseur": "aaaaaaaa-0000-0000-0000-000000000002",
    "regisseur2": "aaaaaaaa-0000-0000-0000-000000000003",
    "wijkteam": "aaaaaaaa-0000-0000-0000-000000000004",
    "manager": "aaaaaaaa-0000-0000-0000-000000000007",
    "stranger": "aaaaaaaa-0000-0000-0000-00000000dead",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "teams_local": True,
            "http_port": free_port(),
            "outbox_poll_seconds": 0.2,
            "send_on_non_working_days": True,
        }
    )


def personal(handle: str) -> str:
    return f"a:personal-{handle}"


class TeamsBot:
    """The Teams endpoint and the delivery engine as ``vhbot serve`` runs them, plus a way to post activities."""

    def __init__(self, app: App, connector: FakeConnector) -> None:
        self.app = app
        self.connector = connector
        self.channel = TeamsChannel(app)
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.http = aiohttp.ClientSession()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.app.settings.http_port}/api/messages"

    async def start(self) -> None:
        for attempt in range(3):
            channel = self.channel
            try:
                self._tasks = await serve(
                    self.app, channel.run, channel.serving, TeamsSender(channel), self._stop
                )
                return
            except WebSetupError:
                if attempt == 2:
                    raise
                # The port picked with the settings was taken meanwhile (by another worker's server): another one.
                self.app.settings = self.app.settings.model_copy(update={"http_port": free_port()})
                self.channel = TeamsChannel(self.app)

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._tasks)
        await self.http.close()

    def activity(
        self,
        handle: str,
        text: str | None = None,
        *,
        kind: str = "personal",
        conversation: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A Teams-shaped activity from a demo professional (or the stranger)."""
        user = AAD[handle]
        activity: dict[str, Any] = {
            "type": "message",
            "id": uuid.uuid4().hex,
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "from": {"id": f"29:{handle}", "aadObjectId": user, "name": handle},
            "recipient": {"id": BOT_ID, "name": "vhbot"},
            "conversation": {
                "id": conversation or personal(handle),
                "conversationType": kind,
                "tenantId": TENANT,
            },
            "channelData": {"tenant": {"id": TENANT}},
            "locale": "nl-NL",
        }
        if text is not None:
            activity["text"] = text
        activity.update(extra)
        return activity

    async def post(
        self, activity: dict[str, Any], headers: dict[str, str] | None = None
    ) -> aiohttp.ClientResponse:
        async with self.http.post(self.url, json=activity, headers=headers or {}) as response:
            await response.read()
            return response

    async def say(
        self, handle: str, *texts: str, kind: str = "personal", conversation: str | None = None
    ) -> str:
        """Each text in turn in the person's chat; the bot's answer to the last one, as one text."""
        answer: list[str] = []
        for text in texts:
            before = len(self.connector.posted)
            response = await self.post(self.activity(handle, text, kind=kind, conversation=conversation))
            assert response.status in (200, 202), response.status
            answer = [posted.text for posted in self.connector.posted[before:]]
        return "\n".join(answer)


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def on_teams(demo: App) -> App:
    """The demo store, with the agent and the procesregisseur signed in to Teams (the stranger is nobody)."""
    for handle in ("agent", "regisseur"):
        await link_address(demo, handle, "teams", AAD[handle])
    return demo


@pytest.fixture
async def teams_bot(on_teams: App, connector: FakeConnector) -> AsyncIterator[TeamsBot]:
    running = TeamsBot(on_teams, connector)
    await running.start()
    yield running
    await running.stop()
