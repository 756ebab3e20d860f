"""A local stand-in for Microsoft's Bot Connector service (the one part of Teams that cannot run here): it takes
what the bot posts back, as Teams would, and can answer with the errors Teams gives."""

from __future__ import annotations

import asyncio
import itertools
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.bot.teams.shown import card_in, shown_text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Posted:
    conversation: str
    activity: dict[str, Any]
    reply_to: str | None
    # The bot's end of the TCP connection the post came over (host, port): which connections it reuses.
    peer: tuple[str, int] | None = None
    at: float = field(default_factory=time.time)  # when it arrived (epoch seconds)

    @property
    def text(self) -> str:
        """What the person reads: the message's text, or its card's lines."""
        return shown_text(self.activity)

    @property
    def card(self) -> dict[str, Any] | None:
        return card_in(self.activity)


@dataclass
class FakeConnector:
    """Listens on 127.0.0.1 only. ``fail`` maps a conversation id to the HTTP status (and headers) its next
    posts get instead of success."""

    port: int = field(default_factory=free_port)
    posted: list[Posted] = field(default_factory=list)
    # Activities replaced in place (PUT), by the id the post of each was answered with.
    updated: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)
    # What the member API (GET /v3/conversations/{id}/members/{member}) answers, by member id; others get a 404.
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    member_asks: list[str] = field(default_factory=list)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._put)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _post(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        if conversation in self.fail:
            status, headers = self.fail[conversation]
            return web.json_response({"error": {"code": "Failure"}}, status=status, headers=headers)
        activity = await request.json()
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.posted.append(Posted(conversation, activity, request.match_info.get("reply_to"), peer))
        self._arrived.set()
        return web.json_response({"id": f"activity-{next(self._ids)}"})

    async def _member(self, request: web.Request) -> web.Response:
        member = request.match_info["member"]
        self.member_asks.append(member)
        if member not in self.members:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(self.members[member])

    async def _put(self, request: web.Request) -> web.Response:
        self.updated[request.match_info["activity"]] = await request.json()
        return web.json_response({"id": request.match_info["activity"]})

    async def wait_for(self, count: int, seconds: float = 10.0) -> list[Posted]:
        """Until at least ``count`` activities have been posted in all; returns them all."""
        async with asyncio.timeout(seconds):
            while len(self.posted) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.posted
