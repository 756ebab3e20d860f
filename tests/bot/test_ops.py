"""The operations listener: /healthz, /readyz (store, schema head, channels) and /metrics, on loopback; a store
that goes away turns /readyz to 503 within seconds and back when it returns (a PostgreSQL cluster of the test's
own); /metrics parses as Prometheus text and carries no case number, person or typed text."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from bot.app import App, build_app
from bot.ops import OpsSite
from config.settings import Settings
from handlers.dates.clock import FixedClock
from storage import migrate
from tests.bot.teams.connector import free_port
from tests.conftest import TEST_KEYS, Chat, running_clock
from tests.test_scenario import refer_a_case
from tests.throwaway_postgres import ThrowawayCluster


class Ops:
    def __init__(self, app: App, channels: dict[str, Callable[[], bool]]) -> None:
        self.site = OpsSite(app, channels)
        self.url = f"http://127.0.0.1:{app.settings.ops_port}"
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self.site.run(self._stop))
        await asyncio.wait_for(self.site.serving.wait(), 10)

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task

    async def get(self, path: str) -> tuple[int, Any]:
        async with aiohttp.ClientSession() as http, http.get(self.url + path) as response:
            body = await (response.json() if path != "/metrics" else response.text())
            return response.status, body


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"ops_port": free_port()})


@pytest.fixture
async def ops(chat: Chat) -> AsyncIterator[tuple[Ops, dict[str, bool]]]:
    channel_state = {"matrix": True}
    running = Ops(chat.app, {"matrix": lambda: channel_state["matrix"]})
    await running.start()
    yield running, channel_state
    await running.stop()


async def test_healthz_and_readyz_say_what_is_not_ready(ops: tuple[Ops, dict[str, bool]]) -> None:
    site, channel_state = ops
    assert await site.get("/healthz") == (200, {"status": "ok"})
    assert await site.get("/readyz") == (200, {"status": "ready"})
    channel_state["matrix"] = False
    assert await site.get("/readyz") == (503, {"status": "not ready", "problems": {"matrix": "not serving"}})


async def test_metrics_parse_and_name_no_case_person_or_typed_text(
    ops: tuple[Ops, dict[str, bool]], chat: Chat
) -> None:
    site, _ = ops
    number = await refer_a_case(chat)
    await chat("regisseur", f"status {number}", "kanariemetrics")
    status, body = await site.get("/metrics")
    assert status == 200
    families = {family.name: family for family in text_string_to_metric_families(body)}
    handled = families["vhbot_messages_handled"]
    kinds = {
        sample.labels["kind"] for sample in handled.samples if sample.labels.get("channel") == "terminal"
    }
    assert {"check", "status"} <= kinds
    assert "vhbot_outbox_rows" in families and "vhbot_handling_seconds" in families
    (behind,) = families["vhbot_outbox_oldest_due_seconds"].samples
    assert behind.value == 0  # the new referral's notices fell due just now
    written = [s.value for s in families["vhbot_audit_entries_written"].samples if s.name.endswith("_total")]
    assert written and written[0] > 0
    for name in (
        "vhbot_deliveries",
        "vhbot_matrix_key_waits",
        "vhbot_teams_http_errors",
        "vhbot_expired_dialogues",
    ):
        assert name in families
    for secret in (number, "VH-", "kanarie", "agent", "Anna", "Petra", "Politie"):
        assert secret not in body


async def test_the_oldest_due_message_says_how_far_delivery_is_behind(
    ops: tuple[Ops, dict[str, bool]], chat: Chat, clock: FixedClock
) -> None:
    """Nothing delivers in this test: the new referral's notices wait, and the gauge counts from when they fell
    due, so an alert can fire when reminders are not going out."""
    site, _ = ops
    await refer_a_case(chat)
    clock.advance(timedelta(minutes=7))
    _, body = await site.get("/metrics")
    families = {family.name: family for family in text_string_to_metric_families(body)}
    (behind,) = families["vhbot_outbox_oldest_due_seconds"].samples
    assert behind.value == 7 * 60


@pytest.fixture
async def on_own_cluster(tmp_path: Path) -> AsyncIterator[tuple[App, ThrowawayCluster]]:
    cluster = ThrowawayCluster()
    cluster.start()
    settings = Settings(
        data_dir=tmp_path,
        database_url=cluster.url,
        encryption_keys=SecretStr(TEST_KEYS),
        ops_port=free_port(),
    )
    app = build_app(settings, running_clock())
    try:
        await migrate.upgrade(app.engine)
        yield app, cluster
    finally:
        await app.close()
        cluster.remove()


async def ready_within(site: Ops, expected: int, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if (await site.get("/readyz"))[0] == expected:
            return time.monotonic() - started
        await asyncio.sleep(0.2)
    raise AssertionError(f"/readyz did not answer {expected} within {seconds} s")


async def test_readyz_follows_the_database_going_away_and_coming_back(
    on_own_cluster: tuple[App, ThrowawayCluster],
) -> None:
    app, cluster = on_own_cluster
    site = Ops(app, {})
    await site.start()
    try:
        assert (await site.get("/readyz"))[0] == 200
        await asyncio.to_thread(cluster.stop)
        await ready_within(site, 503, 10)
        status, body = await site.get("/readyz")
        assert status == 503 and "unreachable" in body["problems"]["store"]
        await asyncio.to_thread(cluster.start)
        await ready_within(site, 200, 30)
    finally:
        await site.stop()
