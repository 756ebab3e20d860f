"""Several real `vhbot serve` processes on the real PostgreSQL: shared work, a SIGKILL mid-batch, a database
restart. Each process delivers through the recording channel, which honours idempotency keys like Matrix does."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.channels.recording import read_recording
from config.settings import Settings
from handlers.reminders import ACTION_DUE_SOON
from storage import migrate, outbox, people
from storage.models import Action, ActionStatus, Case, CaseState, OutboxStatus, PendingMessage
from tests.conftest import (
    PG_URL,
    RUNNING_CLOCK_ENV,
    TEST_KEYS,
    _truncate_postgres,
    load_demo_apart,
    require_postgres,
    running_clock,
)
from tests.throwaway_postgres import ThrowawayCluster

ROOT = Path(__file__).resolve().parents[2]
ROWS = 1000
DIGEST_ROWS = 12  # waiting for each person's digest


@pytest.fixture
async def store(postgres_schema: str, tmp_path: Path) -> AsyncIterator[App]:
    """The PostgreSQL test schema, emptied, with the demo people, on the clock the processes use."""
    require_postgres()
    app = build_app(
        Settings(
            data_dir=tmp_path,
            database_url=PG_URL,
            database_schema=postgres_schema,
            encryption_keys=SecretStr(TEST_KEYS),
        ),
        running_clock(),
    )
    await _truncate_postgres(app)
    await load_demo_apart(app, app.now())
    yield app
    await app.close()


class Servers:
    """`vhbot serve` processes started for one test and stopped by process id when it ends."""

    def __init__(self, schema: str | None, recording: Path, url: str = PG_URL) -> None:
        self.recording = recording
        self.env = {
            **{name: value for name, value in os.environ.items() if name != "VHBOT_DATABASE_SCHEMA"},
            **({"VHBOT_DATABASE_SCHEMA": schema} if schema else {}),
            "VHBOT_DATABASE_URL": url,
            "VHBOT_ENCRYPTION_KEYS": TEST_KEYS,
            "VHBOT_RECORDING_FILE": str(recording),
            "VHBOT_SEND_WINDOW_START": "00:00",  # all day, every day: these tests may run at any hour
            "VHBOT_SEND_WINDOW_END": "00:00",
            "VHBOT_SEND_ON_NON_WORKING_DAYS": "true",
            "VHBOT_OUTBOX_POLL_SECONDS": "0.2",
            **RUNNING_CLOCK_ENV,
        }
        self.processes: list[subprocess.Popen[bytes]] = []
        # What the processes log, beside the recording, for a failing test to show.
        self._log = recording.with_suffix(".log").open("ab")

    def start(self, **settings: str) -> subprocess.Popen[bytes]:
        env = {**self.env, **{f"VHBOT_{name.upper()}": value for name, value in settings.items()}}
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self.processes.append(process)
        return process

    @staticmethod
    async def ready(process: subprocess.Popen[bytes]) -> None:
        """Wait for the line `vhbot serve` prints once its engine runs."""
        assert process.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), timeout=60)
        assert b"delivering through recording" in line, line

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        self._log.close()


@pytest.fixture
def servers(postgres_schema: str, tmp_path: Path) -> Iterator[Servers]:
    started = Servers(postgres_schema, tmp_path / "delivered.jsonl")
    yield started
    started.stop_all()


async def seed_due_rows(app: App, count: int) -> set[str]:
    """``count`` messages due a moment ago, spread over the demo people; returns their idempotency keys."""
    now = app.now()
    async with app.sessions() as session, session.begin():
        recipients = [person.id for person in await people.list_professionals(session)]
        rows = [
            await outbox.enqueue(
                session,
                recipient_id=recipients[index % len(recipients)],
                kind="feedback",
                params={"case": f"VH-2026-{index:04d}"},
                case_number=f"VH-2026-{index:04d}",
                scheduled_at=now - timedelta(seconds=1),
                now=now,
            )
            for index in range(count)
        ]
    return {row.idempotency_key for row in rows}


async def count_sent(app: App) -> int:
    async with app.sessions() as session:
        query = select(func.count()).where(PendingMessage.status == OutboxStatus.SENT)
        return int((await session.execute(query)).scalar_one())


async def wait_until(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"not reached within {timeout}s")


async def test_two_processes_share_the_work_and_deliver_each_row_exactly_once(
    store: App, servers: Servers
) -> None:
    for process in [servers.start(recording_delay_ms="2", outbox_batch_size="50") for _ in range(2)]:
        await servers.ready(process)  # both run before the work appears, so both take part
    keys = await seed_due_rows(store, ROWS)

    async def all_sent() -> bool:
        return await count_sent(store) == ROWS

    await wait_until(all_sent, 60)
    attempts = read_recording(servers.recording, repeats=True)
    assert Counter(record["key"] for record in attempts) == Counter(keys)  # every row once, no attempt twice
    assert len({record["pid"] for record in attempts}) == 2  # both processes took part


async def test_a_process_killed_mid_batch_loses_nothing_and_its_rows_are_taken_over(
    store: App, servers: Servers
) -> None:
    keys = await seed_due_rows(store, ROWS)
    slow = {"recording_delay_ms": "20", "outbox_concurrency": "5", "outbox_lease_seconds": "3"}
    victim = servers.start(**slow)

    async def some_delivered() -> bool:
        return len(read_recording(servers.recording)) >= 300  # into its second batch of 200

    await wait_until(some_delivered, 30)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert 200 <= await count_sent(store) < ROWS  # it really died mid-way, with a batch in hand

    servers.start(**{**slow, "recording_delay_ms": "1"})

    async def all_sent() -> bool:
        return await count_sent(store) == ROWS

    await wait_until(all_sent, 60)
    delivered = read_recording(servers.recording)
    assert Counter(record["key"] for record in delivered) == Counter(keys)  # all there, none twice
    repeats = len(read_recording(servers.recording, repeats=True)) - len(delivered)
    assert repeats <= 200  # at most the batch the victim held


@pytest.fixture
async def own_cluster(tmp_path: Path) -> AsyncIterator[tuple[App, Servers, ThrowawayCluster]]:
    """A store on a PostgreSQL cluster of this test's own, with the demo people, and its `vhbot serve` processes:
    this test restarts the database, which it must never do to the machine's shared server."""
    cluster = ThrowawayCluster()
    cluster.start()
    app = build_app(
        Settings(data_dir=tmp_path, database_url=cluster.url, encryption_keys=SecretStr(TEST_KEYS)),
        running_clock(),
    )
    started = Servers(None, tmp_path / "delivered.jsonl", cluster.url)
    try:
        await migrate.upgrade(app.engine)
        await load_demo_apart(app, app.now())
        yield app, started, cluster
    finally:
        started.stop_all()
        await app.close()
        cluster.remove()


async def test_the_engine_recovers_by_itself_when_the_database_restarts(
    own_cluster: tuple[App, Servers, ThrowawayCluster],
) -> None:
    store, servers, cluster = own_cluster
    keys = await seed_due_rows(store, ROWS)
    process = servers.start(recording_delay_ms="20", outbox_concurrency="5", outbox_lease_seconds="5")

    async def some_delivered() -> bool:
        return len(read_recording(servers.recording)) >= 50

    await wait_until(some_delivered, 30)
    await asyncio.to_thread(cluster.restart)

    async def all_sent() -> bool:
        try:
            return await count_sent(store) == ROWS
        except OSError:
            return False

    await wait_until(all_sent, 90)
    assert process.poll() is None  # still running: it waited for the database instead of crashing
    assert Counter(record["key"] for record in read_recording(servers.recording)) == Counter(keys)


async def test_a_process_stopped_mid_burst_finishes_what_it_holds_and_nothing_goes_twice(
    store: App, servers: Servers
) -> None:
    """SIGTERM: the process takes no more, sends the batch it holds, leaves nothing leased and exits in time; the
    next process sends the rest, and no row is sent twice (unlike after a SIGKILL)."""
    keys = await seed_due_rows(store, ROWS)
    slow = {"recording_delay_ms": "20", "outbox_concurrency": "5", "outbox_lease_seconds": "30"}
    first = servers.start(**slow, shutdown_seconds="20")

    async def some_delivered() -> bool:
        return len(read_recording(servers.recording)) >= 300

    await wait_until(some_delivered, 30)
    os.kill(first.pid, signal.SIGTERM)
    stopped = time.monotonic()
    assert await asyncio.to_thread(first.wait, 25) == 0
    assert time.monotonic() - stopped < 20
    async with store.sessions() as session:
        leased = await session.scalar(
            select(func.count()).where(
                PendingMessage.status == OutboxStatus.PENDING, PendingMessage.lease_owner.is_not(None)
            )
        )
    assert leased == 0  # what it held was sent and recorded, not left for its lease to run out
    assert await count_sent(store) < ROWS  # it stopped mid-burst

    servers.start(**{**slow, "recording_delay_ms": "1"})

    async def all_sent() -> bool:
        return await count_sent(store) == ROWS

    await wait_until(all_sent, 60)
    attempts = read_recording(servers.recording, repeats=True)
    assert Counter(record["key"] for record in attempts) == Counter(keys)  # every row once, no attempt twice


async def test_a_restored_copy_held_sends_nothing_queued_until_started_without_the_hold(
    store: App, servers: Servers
) -> None:
    """A copy restored from a backup holds rows that may be stale or sent already by the system it came from:
    started with VHBOT_OUTBOX_HELD it serves but sends none of them; started without, it sends them once."""
    keys = await seed_due_rows(store, 20)
    held = servers.start(outbox_held="true", ops_port="0")
    await servers.ready(held)
    await asyncio.sleep(3)  # many poll intervals (0.2 s) in which a process not held would have sent them
    assert await count_sent(store) == 0 and not servers.recording.exists()
    os.kill(held.pid, signal.SIGTERM)
    held.wait(timeout=20)
    released = servers.start(ops_port="0")
    await servers.ready(released)

    async def all_sent() -> bool:
        return await count_sent(store) == len(keys)

    await wait_until(all_sent, 30)
    assert sorted(record["key"] for record in read_recording(servers.recording, repeats=True)) == sorted(keys)


async def test_two_processes_send_each_digest_row_once(store: App, servers: Servers) -> None:
    """Everyone chose a digest, and many reminders waited for it: two processes deliver the moment it comes. Every
    row goes out once, inside a digest (one message per person, two at most when both processes took part of
    one person's at the same instant), none twice."""
    now = store.now()
    async with store.sessions() as session, session.begin():
        everyone = list(await people.list_professionals(session))
        director = next(person for person in everyone if person.handle == "regisseur")
        case = Case(
            number="VH-2026-0042", state=CaseState.UITVOERING, melder_id=director.id,
            procesregisseur_id=director.id, gemeente="Amersfoort", subject_type="persoon",
            leefgebieden=["wonen"], ketens=["zorg"], urgency="normaal", informed="ja", goal="digest",
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(case)
        await session.flush()
        for person in everyone:
            person.digest_at = clock_time(12, 0)
            for seq in range(DIGEST_ROWS):
                action = Action(
                    case_id=case.id, seq=person.id * 100 + seq, description="actie", holder_id=person.id,
                    holder_organisation_id=person.organisation_id, deadline=now + timedelta(days=3),
                    status=ActionStatus.OPEN, created_by_id=director.id, created_at=now,
                )  # fmt: skip
                session.add(action)
                await session.flush()
                row = await outbox.enqueue(
                    session, recipient_id=person.id, kind=ACTION_DUE_SOON,
                    params={"case": case.number, "action": action.seq}, case_number=case.number,
                    scheduled_at=now - timedelta(hours=3), now=now, action_id=action.id,
                )  # fmt: skip
                row.gathered_for = now - timedelta(seconds=1)  # the digest's moment has just come
    for process in [servers.start(recording_delay_ms="2", outbox_batch_size="10") for _ in range(2)]:
        await servers.ready(process)
    rows = len(everyone) * DIGEST_ROWS

    async def all_sent() -> bool:
        return await count_sent(store) == rows

    await wait_until(all_sent, 60)
    delivered = read_recording(servers.recording, repeats=True)
    assert not [record for record in delivered if record["repeat"]]
    per_person = Counter(record["to"] for record in delivered)
    assert set(per_person) == {person.handle for person in everyone}
    assert all(count <= 2 for count in per_person.values()), per_person
    assert sum(record["text"].count("Herinnering: actie") for record in delivered) == rows
