"""In-process handling of status, action and feedback messages, with 100 and with 100,000 cases.

Runs every size on SQLite and on the PostgreSQL server at 127.0.0.1:5432 (database ``test``, in a
schema of its own that is dropped afterwards), and prints p50/p95 latency and messages per second per
message kind. Figures are meant to be compared side by side within one run: the machine is shared.

    scripts/bench                      # both backends, 100 and 100000 cases
    scripts/bench --sizes 100 --backends sqlite
    scripts/bench --caseloads 10 60 600   # a procesregisseur's own lists, as their caseload grows

The caseload axis shows what a list costs as one person's cases grow (``status mijn`` for the procesregisseur who
directs them all, ``acties`` for the holder of their actions), next to what the store's size costs above.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy import insert, select, text

from bot.app import App, build_app, run
from bot.channels.terminal import TerminalChannel
from bot.demo import load_demo
from config.settings import Settings
from handlers.dates.clock import FixedClock
from storage import migrate
from storage.crypto import new_key_entry
from storage.db import create_engine
from storage.models import (
    Action,
    ActionStatus,
    Case,
    CaseParticipant,
    CaseState,
    CaseTransition,
    Feedback,
    Professional,
)

NOW = datetime(2026, 11, 23, 10, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
AGENT_CASES = 5  # the melder/actiehouder in the benchmark is on a handful of cases, as in real life
CHUNK = 5000


async def _ids(app: App) -> dict[str, Professional]:
    async with app.sessions() as session:
        return {p.handle: p for p in (await session.execute(select(Professional))).scalars()}


async def seed(app: App, size: int) -> None:
    """Demo people plus ``size`` cases in execution, each with two actions and one update."""
    async with app.sessions() as session, session.begin():
        await load_demo(session, NOW)
    await add_cases(app, 1, size)


async def add_cases(app: App, first: int, last: int) -> None:
    """Cases VH-2026-<first> to <last> in execution, directed by the demo's procesregisseur, each with two actions
    (the first few the agent's, the rest the reclassering's), two steps of history and one unread update."""
    people = await _ids(app)
    agent, other, director = people["agent"], people["ggz"], people["regisseur"]
    holder = people["reclassering"]
    for start in range(first, last + 1, CHUNK):
        numbers = range(start, min(start + CHUNK, last + 1))
        async with app.sessions() as session, session.begin():
            await session.execute(insert(Case), [
                {"number": f"VH-2026-{n:04d}", "state": CaseState.UITVOERING,
                 "melder_id": agent.id if n <= AGENT_CASES else other.id, "procesregisseur_id": director.id,
                 "gemeente": "Amersfoort", "subject_type": "persoon", "leefgebieden": ["wonen", "psychisch"],
                 "ketens": ["zorg", "straf"], "urgency": "normaal", "informed": "ja", "goal": "benchmark",
                 "next_meeting_at": NOW + timedelta(days=14), "created_at": NOW - timedelta(days=n % 300),
                 "updated_at": NOW} for n in numbers])  # fmt: skip
            ids = dict((await session.execute(
                select(Case.number, Case.id).where(Case.number.in_([f"VH-2026-{n:04d}" for n in numbers]))
            )).all())  # fmt: skip
            rows = []
            for n in numbers:
                person = agent if n <= AGENT_CASES else holder
                for seq in (1, 2):
                    rows.append({"case_id": ids[f"VH-2026-{n:04d}"], "seq": seq, "description": "actie",
                                 "holder_id": person.id, "holder_organisation_id": person.organisation_id,
                                 "deadline": NOW + timedelta(days=seq * 7 - 10), "status": ActionStatus.OPEN,
                                 "created_by_id": director.id, "created_at": NOW})  # fmt: skip
            await session.execute(insert(Action), rows)
            await session.execute(insert(CaseParticipant), [
                {"case_id": ids[f"VH-2026-{n:04d}"], "professional_id": (agent if n <= AGENT_CASES else holder).id,
                 "organisation_id": None} for n in numbers])  # fmt: skip
            await session.execute(insert(CaseTransition), [
                {"case_id": ids[f"VH-2026-{n:04d}"], "from_state": before, "to_state": after, "actor_id": actor.id,
                 "at": NOW - timedelta(days=n % 300)}
                for n in numbers
                for before, after, actor in ((None, CaseState.INGEDIEND, agent if n <= AGENT_CASES else other),
                                             (CaseState.INGEDIEND, CaseState.UITVOERING, director))])  # fmt: skip
            await session.execute(insert(Feedback), [
                {"case_id": ids[f"VH-2026-{n:04d}"], "action_id": None, "author_id": holder.id, "body": "update",
                 "concern": False, "to_melder": False, "created_at": NOW - timedelta(days=1), "read_at": None}
                for n in numbers])  # fmt: skip


async def measure(send: Callable[[], Awaitable[None]], count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        await send()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def run_size(app: App, size: int, count: int) -> dict[str, list[float]]:
    rng = random.Random(size)
    director = TerminalChannel(app.dispatcher, "regisseur")
    agent = TerminalChannel(app.dispatcher, "agent")

    async def status() -> None:
        await director.send(f"status VH-2026-{rng.randint(1, size):04d}")

    async def actions() -> None:
        await agent.send("acties")
        await agent.send("stop")

    async def feedback() -> None:
        await agent.send(f"terugkoppeling VH-2026-{rng.randint(1, AGENT_CASES):04d}")
        await agent.send("geen specifieke actie")
        await agent.send("Stand van zaken: loopt volgens plan")
        await agent.send("nee")

    await measure(status, 20)  # warm caches and connection pools before measuring
    concurrent = await measure_concurrent(app, size, count)
    return {
        "status, 10 at once": concurrent,
        "status (1 msg)": await measure(status, count),
        "acties (2 msgs)": await measure(actions, count),
        "terugkoppeling (4 msgs)": await measure(feedback, count),
    }


async def measure_concurrent(app: App, size: int, count: int, people: int = 10) -> list[float]:
    """Throughput as a server sees it: ``people`` procesregisseurs asking for status at the same time.

    Returns the per-message latencies; the wall time of the whole run goes to ``CONCURRENT_WALL``.
    """
    rng = random.Random(size + 1)
    channels = [TerminalChannel(app.dispatcher, "regisseur") for _ in range(people)]
    timings: list[float] = []

    async def person(channel: TerminalChannel) -> None:
        for _ in range(count // people):
            started = time.perf_counter()
            await channel.send(f"status VH-2026-{rng.randint(1, size):04d}")
            timings.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(person(channel) for channel in channels))
    CONCURRENT_WALL[size] = time.perf_counter() - started
    return timings


CONCURRENT_WALL: dict[int, float] = {}


async def run_caseload(app: App, size: int, count: int) -> dict[str, list[float]]:
    """The lists of the procesregisseur directing all ``size`` cases and of the holder of their actions."""
    director = TerminalChannel(app.dispatcher, "regisseur")
    holder = TerminalChannel(app.dispatcher, "reclassering")

    async def mine() -> None:
        await director.send("status mijn")
        await director.send("stop")

    async def actions() -> None:
        await holder.send("acties")
        await holder.send("stop")

    await measure(mine, 5)  # warm caches and connection pools before measuring
    return {
        "status mijn (2 msgs)": await measure(mine, count),
        "acties (2 msgs)": await measure(actions, count),
    }


def report(backend: str, size: int, results: dict[str, list[float]]) -> None:
    messages = {
        "status, 10 at once": 1,
        "status (1 msg)": 1,
        "acties (2 msgs)": 2,
        "status mijn (2 msgs)": 2,
        "terugkoppeling (4 msgs)": 4,
    }
    for kind, timings in results.items():
        per_message = [t / messages[kind] for t in timings]
        p50 = statistics.median(per_message)
        p95 = statistics.quantiles(per_message, n=20)[18]
        concurrent = kind.endswith("at once")
        rate = (
            len(per_message) / CONCURRENT_WALL[size]
            if concurrent
            else 1000 * len(per_message) / sum(per_message)
        )
        print(f"{backend:10} {size:>7} {kind:24} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  {rate:7.0f} msg/s")


# One simulated person sends thousands of messages on a frozen clock: the abuse limit is lifted.
BENCH_RATE = 10**9


def sqlite_settings(**changes: object) -> Settings:
    """A new SQLite store in a temporary folder, with a new key, for one benchmark run."""
    folder = Path(tempfile.mkdtemp(prefix="vhbot-bench-"))
    settings = Settings(
        data_dir=folder,
        database_url=f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}",
        encryption_keys=SecretStr(new_key_entry()),
        rate_messages_per_minute=BENCH_RATE,
    )
    return settings.model_copy(update=changes)


Run = Callable[[App, int, int], Awaitable[dict[str, list[float]]]]


@asynccontextmanager
async def store(backend: str, clock: FixedClock) -> AsyncIterator[App]:
    """A migrated, empty store for one benchmark run: a new SQLite file, or a schema of its own on the shared
    PostgreSQL server, dropped afterwards."""
    if backend == "sqlite":
        settings = sqlite_settings()
        schema = None
    else:
        schema = f"vhbot_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_URL)
        async with admin.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        settings = Settings(
            database_url=PG_URL,
            database_schema=schema,
            encryption_keys=SecretStr(new_key_entry()),
            rate_messages_per_minute=BENCH_RATE,
        )
    app = build_app(settings, clock)
    try:
        await migrate.upgrade(app.engine)
        yield app
    finally:
        await app.close()
        if schema:
            async with admin.begin() as connection:
                await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            await admin.dispose()


async def analyse(app: App) -> None:
    """Fresh planner statistics after seeding (PostgreSQL; SQLite needs none at these sizes)."""
    if app.engine.dialect.name == "postgresql":
        async with app.engine.begin() as connection:
            await connection.execute(text("ANALYZE"))


async def with_store(backend: str, size: int, count: int, run_on: Run = run_size) -> None:
    async with store(backend, FixedClock(NOW)) as app:
        started = time.perf_counter()
        await seed(app, size)
        await analyse(app)
        print(f"{backend:10} {size:>7} seeded in {time.perf_counter() - started:.1f} s")
        report(backend, size, await run_on(app, size, count))


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--count", type=int, default=200, help="measured conversations per kind")
    parser.add_argument(
        "--caseloads",
        type=int,
        nargs="+",
        help="instead of --sizes: one procesregisseur directing this many cases",
    )
    args = parser.parse_args()
    for backend in args.backends:
        for size in args.caseloads or args.sizes:
            await with_store(backend, size, args.count, run_caseload if args.caseloads else run_size)


if __name__ == "__main__":
    run(main())
