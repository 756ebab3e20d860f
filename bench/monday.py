"""A Monday 09:00 for a whole region (issue 22): 2,000 action reminders and 40 weekly overviews fall due in the
same moment, sent by two ``vhbot serve`` processes on one PostgreSQL store (a schema of its own, dropped after).

1. Matrix: a throw-away Synapse; every professional and procesregisseur in an encrypted direct chat with the bot's
   account. What arrived is read at the homeserver, person by person, with their own access token.
2. Teams: 3,000 professionals with a stored conversation reference, posting to the local Bot Connector stand-in,
   which records what arrived.

Figures are taken where the messages arrive, not from the bot's own records: lateness (arrival minus the moment
due) p50/p99/max, messages lost, duplicates, and for Matrix any room the bot made beside the existing chats.

Run: ``scripts/bench-monday [--reminders 2000] [--overviews 40] [--matrix-people 1000] [--teams-people 3000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

from microsoft_agents.activity import Activity
from pydantic import SecretStr
from sqlalchemy import func, select, text

from bench.matrix import PASSWORD, percentile, rss_mb
from bench.region import Region, add_cases
from bench.teams import activity
from bot.app import App, build_app, run
from config.settings import Settings
from handlers.dates.clock import SystemClock
from handlers.reminders import OVERVIEW
from storage import cursors, migrate, outbox, people, teams
from storage.crypto import new_key_entry
from storage.db import create_engine
from storage.models import Action, Case, OutboxStatus, PendingMessage, Professional
from tests.bot.matrix.homeserver import ROOT, Homeserver, synapse_python
from tests.bot.teams.connector import FakeConnector, free_port

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
REMINDER = "action_due_today"
ORGANISATION = "Wijkteam Amersfoort-Noord"
ZVH = "Zorg- en Veiligheidshuis Voorbeeldregio"
LEAD_SECONDS = 3.0  # rows are written this long before they fall due, once both processes are up
SENT_WAIT_SECONDS = 1800.0
TENANT = "bench-tenant"
OUTBOX_CONCURRENCY = Settings().outbox_concurrency  # as vhbot serve sends
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "2"))


@dataclass(frozen=True)
class Arrival:
    """One message as the receiving side saw it: for whom (a room or a conversation) and when."""

    address: str
    at: float


@dataclass(frozen=True)
class Plan:
    written: float  # the rows were in the store from this moment
    due: float
    expected: Counter[str]  # messages per receiving address


class Store:
    """A schema of its own on the shared PostgreSQL server, migrated, with the demo organisations."""

    def __init__(self) -> None:
        self.schema = f"vhbot_monday_{uuid.uuid4().hex[:8]}"
        self.keys = new_key_entry()
        self._app: App | None = None

    @property
    def app(self) -> App:
        assert self._app is not None, "inside the context only"
        return self._app

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "VHBOT_DATABASE_URL": PG_URL,
            "VHBOT_DATABASE_SCHEMA": self.schema,
            "VHBOT_ENCRYPTION_KEYS": self.keys,
            "VHBOT_SEND_WINDOW_START": "00:00",
            "VHBOT_SEND_WINDOW_END": "00:00",
            "VHBOT_SEND_ON_NON_WORKING_DAYS": "true",
            "VHBOT_OPS_PORT": "0",
        }

    async def __aenter__(self) -> Self:
        admin = create_engine(PG_URL)
        async with admin.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        await admin.dispose()
        migrating = create_engine(PG_URL, self.schema)
        await migrate.upgrade(migrating)
        await migrating.dispose()
        vhbot("demo", env=self.env)
        settings = Settings(
            database_url=PG_URL, database_schema=self.schema, encryption_keys=SecretStr(self.keys)
        )
        self._app = build_app(settings, SystemClock())
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._app is not None:
            await self._app.close()
        admin = create_engine(PG_URL)
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        await admin.dispose()


def vhbot(*arguments: str, env: Mapping[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments],
        env=dict(env),
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def import_people(
    env: Mapping[str, str], directory: Path, channel: str, melders: list[str], directors: list[str]
) -> None:
    """Professionals ``m0…`` and procesregisseurs ``r0…`` with these addresses, in one CSV import."""
    listing = directory / f"{channel}-people.csv"
    with listing.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "organisation", "role", "handle", channel])
        for number, address in enumerate(melders):
            writer.writerow([f"Professional {number}", ORGANISATION, "melder", f"m{number}", address])
        for number, address in enumerate(directors):
            writer.writerow([f"Regisseur {number}", ZVH, "procesregisseur", f"r{number}", address])
    vhbot("users", "import", str(listing), env=env)


async def seed_cases(app: App, reminders: int, melders: int, directors: int) -> None:
    async with app.sessions() as session, session.begin():
        holders = [f"m{n}" for n in range(melders)]
        await add_cases(session, reminders, holders, [f"r{n}" for n in range(directors)], app.now())


async def fall_due(
    app: App, reminders: int, directors: int, address_of: Mapping[str, str], wave: int = 1
) -> Plan:
    """At one moment: a reminder for every action, an overview for every procesregisseur."""
    written = time.time()
    due = datetime.now(UTC) + timedelta(seconds=LEAD_SECONDS)
    expected: Counter[str] = Counter()
    async with app.sessions() as session, session.begin():
        actions = (
            await session.execute(
                select(Action.id, Action.holder_id, Case.number).join(Case).order_by(Action.id)
            )
        ).all()
        handles = dict((await session.execute(select(Professional.id, Professional.handle))).all())
        for action_id, holder_id, number in actions[:reminders]:
            assert holder_id is not None
            await outbox.enqueue(
                session, recipient_id=holder_id, kind=REMINDER, params={"case": number, "action": 1},
                case_number=number, scheduled_at=due, now=app.now(), action_id=action_id,
            )  # fmt: skip
            expected[address_of[handles[holder_id]]] += 1
        for seq in range(directors):
            director = await people.professional_by_handle(session, f"r{seq}")
            assert director is not None
            await outbox.enqueue_once(
                session, f"bench-overview:{wave}:{seq}", recipient_id=director.id, kind=OVERVIEW,
                scheduled_at=due, now=app.now(),
            )  # fmt: skip
            expected[address_of[f"r{seq}"]] += 1
    return Plan(written, due.timestamp(), expected)


@contextmanager
def serving(env: Mapping[str, str], directory: Path, name: str) -> Iterator[list[int]]:
    """``vhbot serve`` processes on the store (two; BENCH_PROCESSES for another number), each with ports of its own; stopped by process id."""
    processes = []
    for number in range(PROCESSES):
        log = directory / f"{name}-{number}.log"
        own = {**env, "VHBOT_HTTP_PORT": str(free_port())}
        with log.open("ab") as output:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bot.cli", "serve"], env=own, cwd=ROOT, stdout=output,
                    stderr=subprocess.STDOUT,
                )
            )  # fmt: skip
    try:
        yield [process.pid for process in processes]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


async def all_sent(app: App, count: int) -> None:
    async with asyncio.timeout(SENT_WAIT_SECONDS):
        while True:
            async with app.sessions() as session:
                query = select(func.count()).where(PendingMessage.status == OutboxStatus.SENT)
                if (await session.execute(query)).scalar_one() >= count:
                    return
            await asyncio.sleep(0.5)


def report(channel: str, plan: Plan, arrivals: list[Arrival], extra: str = "") -> None:
    got = Counter(arrival.address for arrival in arrivals)
    lost = sum(max(0, want - got[address]) for address, want in plan.expected.items())
    duplicates = sum(max(0, seen - plan.expected[address]) for address, seen in got.items())
    lateness = [arrival.at - plan.due for arrival in arrivals]
    print(
        f"{channel:<7}{sum(plan.expected.values())} due at once to {len(plan.expected)} people, {PROCESSES} processes: "
        f"lateness p50 {statistics.median(lateness):.1f} s, p99 {percentile(lateness, 0.99):.1f} s, "
        f"max {max(lateness):.1f} s; lost {lost}, duplicates {duplicates}{extra}"
    )


# Matrix.


async def matrix_monday(reminders: int, overviews: int, count: int, directory: Path) -> None:
    (directory / "synapse").mkdir()
    homeserver = Homeserver(synapse_python(), directory / "synapse")
    homeserver.start()
    try:
        suffix = uuid.uuid4().hex[:6]
        async with Region(homeserver) as region:
            bot = await region.account(f"monday-{suffix}")
            melders = await asyncio.gather(*(region.account(f"m{n}-{suffix}") for n in range(count)))
            directors = await asyncio.gather(*(region.account(f"r{n}-{suffix}") for n in range(overviews)))
            everyone = [*melders, *directors]
            started = time.monotonic()
            opened = await asyncio.gather(*(region.direct_chat(account, bot) for account in everyone))
            print(
                f"matrix  set-up: {len(everyone)} direct chats with the bot in {time.monotonic() - started:.0f} s"
            )
            async with Store() as store:
                import_people(
                    store.env,
                    directory,
                    "matrix",
                    [a.user_id for a in melders],
                    [a.user_id for a in directors],
                )
                await seed_cases(store.app, reminders, count, overviews)
                env = {
                    **store.env,
                    "VHBOT_DATA_DIR": str(directory / "vhbot"),
                    "VHBOT_MATRIX_HOMESERVER": homeserver.url,
                    "VHBOT_MATRIX_USER_ID": bot.user_id,
                    "VHBOT_MATRIX_PASSWORD": PASSWORD,
                    "VHBOT_MATRIX_STORE_DIR": str(directory / "matrix-store"),
                }
                handles = {f"m{n}": a.user_id for n, a in enumerate(melders)}
                handles.update({f"r{n}": a.user_id for n, a in enumerate(directors)})
                room_of = {a.user_id: room for a, room in zip(everyone, opened, strict=True)}
                address_of = {handle: room_of[user_id] for handle, user_id in handles.items()}
                with serving(env, directory, "matrix") as pids:
                    await serving_matrix(store.app, bot.user_id)
                    first = await fall_due(store.app, reminders, overviews, address_of)
                    await all_sent(store.app, sum(first.expected.values()))
                    # The same again, now that every room is loaded and its room key shared.
                    again = await fall_due(store.app, reminders, overviews, address_of, wave=2)
                    await all_sent(store.app, 2 * sum(first.expected.values()))
                    memory = max(rss_mb(pid) for pid in pids)
                arrivals = [
                    Arrival(room, at)
                    for account, room in zip(everyone, opened, strict=True)
                    for at in await region.sent_in(account, room, bot.user_id)
                ]
                rooms = await region.joined_rooms(bot)
                wave = [room for room, times in again.expected.items() for _ in range(times)]
                bare = await region.bare_sends(bot, wave, concurrency=OUTBOX_CONCURRENCY)
            extra = f"; rooms the bot made beside the direct chats: {len(rooms - set(opened))}"
            # The bot's greeting in each chat it joins came before anything fell due: not one of the notices.
            first_wave = [a for a in arrivals if first.written <= a.at < again.written]
            report("matrix", first, first_wave, extra + " (first contact)")
            second = [a for a in arrivals if a.at >= again.written]
            report("matrix", again, second, " (rooms loaded, keys shared)")
            spread = max(a.at for a in second) - again.due
            print(
                f"matrix the second wave took {spread:.1f} s; Synapse itself takes the same {len(wave)} plain "
                f"messages from one client, {OUTBOX_CONCURRENCY} at a time, in {bare:.1f} s ({spread / bare:.2f}x); "
                f"the serving process holds {memory:.0f} MB with {len(opened)} rooms loaded"
            )
    finally:
        homeserver.stop()


async def serving_matrix(app: App, bot: str) -> None:
    """Until one process has taken its first sync in and stored where it got to."""
    async with asyncio.timeout(SENT_WAIT_SECONDS):
        while True:
            async with app.sessions() as session:
                if await cursors.get(session, f"matrix:{bot}"):
                    return
            await asyncio.sleep(0.5)


# Teams.


async def teams_monday(reminders: int, overviews: int, count: int, directory: Path) -> None:
    connector = FakeConnector()
    await connector.start()
    try:
        async with Store() as store:
            melders = [str(uuid.UUID(int=n + 1)) for n in range(count)]
            directors = [str(uuid.UUID(int=count + n + 1)) for n in range(overviews)]
            import_people(store.env, directory, "teams", melders, directors)
            await seed_cases(store.app, reminders, count, overviews)
            async with store.app.sessions() as session, session.begin():
                for user_id in [*melders, *directors]:
                    reference = Activity.model_validate(
                        activity("", f"a:{user_id}", connector.url)
                    ).get_conversation_reference()
                    await teams.remember(
                        session, user_id, TENANT,
                        reference.model_dump(mode="json", by_alias=True, exclude_none=True), store.app.now(),
                    )  # fmt: skip
            env = {**store.env, "VHBOT_DATA_DIR": str(directory / "vhbot-teams"), "VHBOT_TEAMS_LOCAL": "true"}
            handles = {f"m{n}": f"a:{user_id}" for n, user_id in enumerate(melders)}
            handles.update({f"r{n}": f"a:{user_id}" for n, user_id in enumerate(directors)})
            with serving(env, directory, "teams"):
                await asyncio.sleep(5)  # both endpoints up
                plan = await fall_due(store.app, reminders, overviews, handles)
                await all_sent(store.app, sum(plan.expected.values()))
            arrivals = [Arrival(posted.conversation, posted.at) for posted in connector.posted]
        report("teams", plan, arrivals, f"; {count + overviews} stored references")
    finally:
        await connector.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reminders", type=int, default=2000)
    parser.add_argument("--overviews", type=int, default=40)
    parser.add_argument("--matrix-people", type=int, default=1000)
    parser.add_argument("--teams-people", type=int, default=3000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vhbot-monday-") as directory:
        await teams_monday(arguments.reminders, arguments.overviews, arguments.teams_people, Path(directory))
        await matrix_monday(
            arguments.reminders, arguments.overviews, arguments.matrix_people, Path(directory)
        )


if __name__ == "__main__":
    run(main())
