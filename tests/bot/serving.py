"""A channel and the delivery engine running in the test's event loop, as ``vhbot serve`` runs them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from bot.app import App
from bot.delivery import DeliveryEngine
from bot.senders import Sender


async def serve(
    app: App,
    listen: Callable[[asyncio.Event], Coroutine[Any, Any, None]],
    serving: asyncio.Event,
    sender: Sender,
    stop: asyncio.Event,
) -> list[asyncio.Task[None]]:
    """The listener's and the engine's tasks, once the listener serves; its error if it fails first."""
    tasks = [asyncio.create_task(listen(stop)), asyncio.create_task(DeliveryEngine(app, [sender]).run(stop))]
    ready = asyncio.create_task(serving.wait())
    await asyncio.wait([ready, tasks[0]], timeout=30, return_when=asyncio.FIRST_COMPLETED)
    if tasks[0].done():
        tasks[1].cancel()  # nothing of a listener that could not start is left running
        await asyncio.gather(tasks[1], return_exceptions=True)
        tasks[0].result()  # the channel's error, shown where the test failed
    assert ready.done(), "the channel did not start serving within 30 s"
    return tasks
