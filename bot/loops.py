"""What the long-running loops of vhbot serve share: pauses that grow after failures, stopping without waiting
a pause out, pacing per tenant or homeserver learnt from rate limits, and how a failure is named in the log."""

from __future__ import annotations

import asyncio
import logging
import random
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.senders import PermanentFailure, RateLimited, TemporaryFailure

log = logging.getLogger(__name__)
T = TypeVar("T")


class ScopeGates:
    """Per tenant / homeserver pacing, learnt from rate limits.

    A 429 holds back every send to that scope for the time the server asks, and widens the spacing between
    sends (doubling once per limit, at most a second); each success narrows it a little again. Sends pass the
    gate one at a time, so after a limit they go out spaced rather than as a herd that earns the next 429.
    """

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._held_until: dict[str, float] = {}
        self._last_pass: dict[str, float] = {}
        self._spacing: dict[str, float] = {}

    async def wait(self, scope: str) -> None:
        async with self._locks.setdefault(scope, asyncio.Lock()):
            while True:
                ready = max(
                    self._held_until.get(scope, 0.0),
                    self._last_pass.get(scope, 0.0) + self._spacing.get(scope, 0.0),
                )
                delay = ready - time.monotonic()
                if delay <= 0:
                    break
                await asyncio.sleep(delay)
            self._last_pass[scope] = time.monotonic()

    def hold(self, scope: str, seconds: float) -> None:
        now = time.monotonic()
        if now >= self._held_until.get(scope, 0.0):  # a new limit, not another answer to the same burst
            self._spacing[scope] = min(1.0, max(2 * self._spacing.get(scope, 0.0), 0.005))
        self._held_until[scope] = max(self._held_until.get(scope, 0.0), now + seconds)

    def succeeded(self, scope: str) -> None:
        spacing = self._spacing.get(scope, 0.0) * 0.97
        self._spacing[scope] = spacing if spacing >= 0.001 else 0.0


def backoff_seconds(attempts: int, base: float = 5.0, cap: float = 3600.0) -> float:
    """Exponential backoff with full jitter between half and one and a half times the step."""
    step: float = min(cap, base * 2.0 ** max(0, attempts - 1))
    return step * random.uniform(0.5, 1.5)


async def sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    """Pause for ``seconds``, or less if ``stop`` is set meanwhile (so shutting down never waits a pause out)."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=max(0.0, seconds))
    except TimeoutError:
        pass


def where(error: BaseException) -> str:
    """The error's type and the innermost place it was raised: enough to find the bug, nothing of the data."""
    frames = traceback.extract_tb(error.__traceback__)
    place = f" at {frames[-1].filename.rsplit('/', 2)[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{place}"


async def persist(attempt: Callable[[], Awaitable[T]], what: str) -> T | None:
    """Keep trying a send through a homeserver's restart or rate limit; give up (None) only when it fails for
    good (the room is gone). ``what`` says in the log what did not happen yet."""
    failures = 0
    while True:
        try:
            return await attempt()
        except RateLimited as limited:
            await asyncio.sleep(limited.retry_after)
        except TemporaryFailure as error:
            failures += 1
            pause = backoff_seconds(failures, base=0.5, cap=30.0)
            log.warning("%s (%s); again in %.1fs", what, error, pause)
            await asyncio.sleep(pause)
        except PermanentFailure as error:
            log.warning("%s, given up: %s", what, error)
            return None
