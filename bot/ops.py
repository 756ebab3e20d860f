"""The operations listener (``VHBOT_OPS_HOST``:``VHBOT_OPS_PORT``, by default 127.0.0.1:9464, apart from the
public port so a TLS proxy never exposes it by accident): ``/healthz`` (the process runs), ``/readyz`` (the store
answers at the migrations' head and every channel serves or stands by; else 503 naming what is not ready) and
``/metrics`` (``bot.metrics``, Prometheus text format)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot import metrics
from bot.app import App
from storage import outbox
from storage.models import OutboxStatus
from storage.revisions import head_revision

log = logging.getLogger(__name__)
STORE_TIMEOUT_SECONDS = 2.0
# The channels' own words for whether they are ready: each says "serving" or "standing by" when it is.
ChannelCheck = Callable[[], bool]


class OpsSite:
    def __init__(self, app: App, channels: Mapping[str, ChannelCheck]) -> None:
        self._app = app
        self._channels = dict(channels)
        self._head = head_revision()
        self.serving = asyncio.Event()

    def web_app(self) -> web.Application:
        application = web.Application()
        application.router.add_get("/healthz", self._healthz)
        application.router.add_get("/readyz", self._readyz)
        application.router.add_get("/metrics", self._metrics)
        return application

    async def run(self, stop: asyncio.Event) -> None:
        settings = self._app.settings
        runner = web.AppRunner(self.web_app(), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, settings.ops_host, settings.ops_port).start()
        except OSError as error:
            await runner.cleanup()
            log.error(
                "ops listener: cannot listen on %s:%d (%s)",
                settings.ops_host,
                settings.ops_port,
                error.strerror,
            )
            return  # the bot serves people without it; the log says why it cannot be watched
        self.serving.set()
        try:
            await stop.wait()
        finally:
            self.serving.clear()
            await runner.cleanup()

    async def _healthz(self, _: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _readyz(self, _: web.Request) -> web.Response:
        problems = {name: "not serving" for name, ready in self._channels.items() if not ready()}
        store = await self._store_problem()
        if store:
            problems["store"] = store
        if problems:
            return web.json_response({"status": "not ready", "problems": problems}, status=503)
        if self._app.warnings:  # serving people still works: ready, but someone should look
            return web.json_response({"status": "ready", "warnings": dict(self._app.warnings)})
        return web.json_response({"status": "ready"})

    async def _store_problem(self) -> str | None:
        try:
            async with asyncio.timeout(STORE_TIMEOUT_SECONDS), self._app.engine.connect() as connection:
                version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        except (SQLAlchemyError, OSError, TimeoutError) as error:
            return f"unreachable ({type(error).__name__})"
        return None if version == self._head else f"schema at {version}, migrations at {self._head}"

    async def _metrics(self, _: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(STORE_TIMEOUT_SECONDS), self._app.sessions() as session:
                counts = await outbox.count_by_status(session)
                now = self._app.now()
                oldest = await outbox.oldest_due(session, now)
            metrics.OUTBOX_BEHIND.set((now - oldest).total_seconds() if oldest is not None else 0)
            for status in OutboxStatus:  # every status, 0 included: an alert can then compare and sum
                metrics.OUTBOX_ROWS.labels(status.value).set(counts.get(status, 0))
        except (SQLAlchemyError, OSError, TimeoutError):
            pass  # the process's own figures still count; /readyz says the store is away
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})
