"""The one HTTP site ``vhbot serve`` listens on (Teams' endpoint, the form pages), started and stopped in one
place, without an access log: form links carry their token in the path."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from config.settings import Settings


class WebSetupError(Exception):
    """The site cannot listen where it is configured to."""


async def serve_site(
    application: web.Application,
    settings: Settings,
    stop: asyncio.Event,
    serving: asyncio.Event,
    before_close: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Listen on the configured host and port until ``stop``; ``before_close`` runs while still listening."""
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    host, port = settings.resolved_http_host, settings.http_port
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        await runner.cleanup()
        raise WebSetupError(
            f"cannot listen on {host}:{port} ({error.strerror}); set VHBOT_HTTP_PORT"
        ) from None
    serving.set()
    try:
        await stop.wait()
        if before_close is not None:
            await before_close()
    finally:
        serving.clear()
        await runner.cleanup()
