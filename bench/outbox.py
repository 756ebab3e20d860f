"""The delivery engine on the PostgreSQL server at 127.0.0.1:5432 (database ``test``, a schema of its own that is
dropped afterwards). Three figures, each measured in one run:

1. burst: N reminders due in the same moment, two ``vhbot serve`` processes, the recording channel;
   lateness (moment written by the channel minus the moment due) p50/p99, duplicates, lost.
2. tick: one idle dispatcher cycle with M future rows in the outbox, and the query plan of the claim.
3. limit: K reminders for one tenant through a channel that allows 50 messages/s (HTTP 429 beyond that, with
   Retry-After); total time against the K/50 s the limit allows, and how many 429s were not honoured.

    scripts/bench-outbox                                   # 10,000 / 1,000,000 / 10,000 (takes some minutes)
    scripts/bench-outbox --burst 2000 --future 100000 --limited 1000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func, select, text

from bot.app import App, build_app, run
from bot.channels.recording import read_recording
from bot.delivery import DeliveryEngine
from bot.demo import load_demo
from bot.senders import Outgoing, RateLimited
from config.settings import Settings
from handlers.dates.clock import SystemClock
from storage import migrate, outbox
from storage.crypto import new_key_entry
from storage.db import create_engine
from storage.models import OutboxStatus, PendingMessage, Professional
from storage.retention import AUDIT_PURGE_SETTING

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
ROOT = Path(__file__).resolve().parents[1]
ALWAYS_OPEN = {"send_window_start": "00:00", "send_window_end": "00:00", "send_on_non_working_days": "true"}


def keys_of(app: App) -> str:
    keys = app.settings.encryption_keys
    assert keys is not None, "fresh_store sets them"
    return keys.get_secret_value()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def fresh_store(schema: str, keys: str) -> App:
    """The benchmark's schema with an empty outbox and audit trail; ``keys`` are the run's one key (the demo
    people are written with it, so every step and every process it starts reads them)."""
    settings = Settings(
        database_url=PG_URL,
        database_schema=schema,
        encryption_keys=SecretStr(keys),
        send_window_start="00:00",  # type: ignore[arg-type]
        send_window_end="00:00",  # type: ignore[arg-type]
        send_on_non_working_days=True,
    )
    app = build_app(settings, SystemClock())
    async with app.engine.begin() as connection:
        await connection.execute(text(f"SET LOCAL {AUDIT_PURGE_SETTING} = 'on'"))
        await connection.execute(text('TRUNCATE "pending_messages", "audit_entries" RESTART IDENTITY'))
    return app


async def seed(app: App, count: int, due: datetime) -> None:
    """``count`` rows due at ``due``, inserted by the server itself (fast enough for a million)."""
    async with app.sessions() as session:
        recipient = (await session.execute(select(Professional.id).limit(1))).scalar_one()
    statement = text(
        "INSERT INTO pending_messages (recipient_id, kind, params, case_number, urgent, scheduled_at, due_at, "
        "created_at, status, idempotency_key, attempts, failed_channels) "
        "SELECT :recipient, 'feedback', CAST('{\"case\": \"VH-2026-0001\"}' AS JSON), 'VH-2026-0001', false, "
        ":due, :due, now(), 'pending', md5(random()::text || g::text), 0, CAST('[]' AS JSON) "
        "FROM generate_series(1, :count) AS g"
    )
    async with app.engine.begin() as connection:
        await connection.execute(statement, {"recipient": recipient, "due": due, "count": count})
        await connection.execute(text("ANALYZE pending_messages"))


async def burst(app: App, schema: str, count: int) -> None:
    recording = Path(tempfile.mkdtemp()) / "burst.jsonl"
    env = {
        **os.environ,
        "VHBOT_DATABASE_URL": PG_URL,
        "VHBOT_DATABASE_SCHEMA": schema,
        "VHBOT_RECORDING_FILE": str(recording),
        # The processes need the store's keys (with a default key file present they would not find them).
        "VHBOT_ENCRYPTION_KEYS": keys_of(app),
        "VHBOT_OPS_PORT": "0",  # several processes on one machine: only one could listen
    }
    env.update({f"VHBOT_{key.upper()}": value for key, value in ALWAYS_OPEN.items()})
    due = datetime.now(UTC) + timedelta(seconds=8)
    await seed(app, count, due)
    log = recording.with_suffix(".log")
    with log.open("wb") as errors:
        processes = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "serve",
                cwd=ROOT,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=errors,
            )
            for _ in range(2)
        ]
    try:
        while True:
            await asyncio.sleep(0.5)
            if any(process.returncode is not None for process in processes):  # fail fast, with its error
                tail = log.read_text(errors="replace").strip().splitlines()[-5:]
                raise SystemExit("bench-outbox: a vhbot serve process exited:\n" + "\n".join(tail))
            async with app.sessions() as session:
                query = select(func.count()).where(PendingMessage.status == OutboxStatus.SENT)
                if (await session.execute(query)).scalar_one() >= count:
                    break
    finally:
        for process in processes:
            process.terminate()
            await process.wait()
    attempts = read_recording(recording, repeats=True)
    delivered = read_recording(recording)
    lateness = [record["at"] - due.timestamp() for record in delivered]
    per_process = Counter(record["pid"] for record in delivered)
    print(
        f"burst    {count} due at once, 2 processes: lateness p50 {statistics.median(lateness):.2f} s, "
        f"p99 {percentile(lateness, 0.99):.2f} s, max {max(lateness):.2f} s; "
        f"duplicates {len(attempts) - len(delivered)}, lost {count - len(delivered)}; "
        f"split {sorted(per_process.values())}"
    )


async def tick(app: App, count: int) -> None:
    await seed(app, count, datetime.now(UTC) + timedelta(days=30))
    engine = DeliveryEngine(app, [])
    durations = []
    for _ in range(50):
        started = time.perf_counter()
        assert await engine.deliver_due() == 0
        durations.append((time.perf_counter() - started) * 1000)
    async with app.sessions() as session:
        started = time.perf_counter()
        await outbox.next_due(session)
        next_due_ms = (time.perf_counter() - started) * 1000
        plan = await session.execute(
            text(
                "EXPLAIN SELECT id FROM pending_messages WHERE status = 'pending' AND due_at <= now() "
                "ORDER BY due_at LIMIT 200 FOR UPDATE SKIP LOCKED"
            )
        )
        lines = [row[0] for row in plan]
    print(
        f"tick     {count} future rows: idle cycle p50 {statistics.median(durations):.2f} ms, "
        f"p95 {percentile(durations, 0.95):.2f} ms; next-due lookup {next_due_ms:.2f} ms"
    )
    print("         plan of the claim: " + "\n                            ".join(lines))


class TenantLimitedSender:
    """A channel allowing ``rate`` messages per second for its one tenant (a token bucket of one second)."""

    name = "teams"

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.updated = time.monotonic()
        self.blocked_until = 0.0
        self.sent = 0
        self.refused = 0
        self.ignored = 0

    def address(self, person: Professional) -> str | None:
        return person.handle

    def scope(self, address: str) -> str:
        return "tenant"

    def ready(self) -> bool:
        return True

    async def send(self, address: str, message: Outgoing) -> str:
        now = time.monotonic()
        if now < self.blocked_until:
            self.ignored += 1  # sent although told to wait
        self.tokens = min(self.rate, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            self.refused += 1
            retry_after = (1 - self.tokens) / self.rate
            self.blocked_until = now + retry_after
            raise RateLimited(retry_after)
        self.tokens -= 1
        self.sent += 1
        return f"teams:{address}"


async def limited(app: App, count: int, rate: float = 50.0) -> None:
    await seed(app, count, datetime.now(UTC) - timedelta(seconds=1))
    sender = TenantLimitedSender(rate)
    engine = DeliveryEngine(app, [sender])
    started = time.perf_counter()
    while sender.sent < count:
        if not await engine.deliver_due():
            await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    allowed = count / rate
    print(
        f"limit    {count} for one tenant at {rate:.0f}/s: {elapsed:.1f} s against {allowed:.1f} s allowed "
        f"({elapsed / allowed:.2f}x); 429s answered {sender.refused}, not honoured {sender.ignored}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--future", type=int, default=1_000_000)
    parser.add_argument("--limited", type=int, default=10_000)
    args = parser.parse_args()
    schema = f"vhbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        migrating = create_engine(PG_URL, schema)
        await migrate.upgrade(migrating)
        await migrating.dispose()
        keys = new_key_entry()
        app = await fresh_store(schema, keys)
        async with app.sessions() as session, session.begin():
            await load_demo(session, app.now())
        await app.close()
        steps: tuple[tuple[int, Callable[[App], Awaitable[None]]], ...] = (
            (args.burst, lambda app: burst(app, schema, args.burst)),
            (args.future, lambda app: tick(app, args.future)),
            (args.limited, lambda app: limited(app, args.limited)),
        )
        for size, step in steps:
            if size:
                app = await fresh_store(schema, keys)
                await step(app)
                await app.close()
    finally:
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


if __name__ == "__main__":
    run(main())
