"""A whole region on one bot (issue 22): ``vhbot serve`` whose Matrix account is in an encrypted direct chat with
each of N professionals, against the same bot in one direct chat, side by side in one run.

A throw-away Synapse on loopback. N professionals are registered through the admin API; each opens an encrypted
direct chat with the bot through the client API (as Element does) and the bot's account joins it. The store has
the demo people, the N professionals and 300 open cases with an action each. Two bot accounts share everything but
their rooms: the region's (N rooms) and a small one (1 room). For each, as a real ``vhbot serve`` process:

1. first start ever (no sync token, empty crypto store): seconds until a procesregisseur's ``status`` is answered;
2. a restart with store and crypto store kept: the same;
3. resident memory once answering;
4. ``status`` p50/p95 over M messages, one at a time, from the procesregisseur's own encrypted client.

Run: ``scripts/bench-region [--people 3000] [--messages 50]`` (setting up 3,000 rooms takes some minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Self

import aiohttp
from pydantic import SecretStr
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bench.matrix import PASSWORD, answer_count, percentile, rss_mb, timed
from bot.app import build_app
from config.settings import Settings
from handlers.dates.clock import SystemClock
from storage import people
from storage.crypto import new_key_entry
from storage.models import Action, ActionStatus, Case, CaseState, Professional
from tests.bot.matrix.homeserver import ROOT, Homeserver, synapse_python
from tests.bot.matrix.person import ENCRYPTION, Person
from tests.bot.teams.connector import free_port

CASES = 300
CONCURRENCY = 8
ANSWER_WAIT_SECONDS = 600.0


@dataclass(frozen=True)
class Account:
    user_id: str
    token: str


class Region:
    """The homeserver's side: accounts and their direct chats with a bot, made as fast as Synapse takes them."""

    def __init__(self, homeserver: Homeserver) -> None:
        self.homeserver = homeserver
        self._limit = asyncio.Semaphore(CONCURRENCY)
        self._http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        self._http = aiohttp.ClientSession(base_url=self.homeserver.url)
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._http is not None
        await self._http.close()

    async def account(self, localpart: str) -> Account:
        async with self._limit:
            user_id, token = await asyncio.to_thread(self.homeserver.register_with_token, localpart, PASSWORD)
        return Account(user_id, token)

    async def _post(self, token: str, path: str, body: dict[str, object]) -> dict[str, object]:
        assert self._http is not None
        headers = {"Authorization": f"Bearer {token}"}
        for attempt in range(5):
            async with self._limit, self._http.post(path, json=body, headers=headers) as response:
                if response.status == 200:
                    return dict(await response.json())
                if response.status < 500 and response.status != 429:
                    raise RuntimeError(f"{path}: {response.status} {await response.text()}")
            await asyncio.sleep(0.5 * (attempt + 1))
        raise RuntimeError(f"{path}: Synapse kept failing")

    async def sent_in(self, reader: Account, room_id: str, sender: str) -> list[float]:
        """When each encrypted message from ``sender`` reached the homeserver (epoch seconds), as ``reader`` sees the
        room's history."""
        assert self._http is not None
        headers = {"Authorization": f"Bearer {reader.token}"}
        wanted = json.dumps({"senders": [sender], "types": ["m.room.encrypted"]})
        moments: list[float] = []
        start: str | None = None
        while True:
            query = {"dir": "b", "limit": "500", "filter": wanted, **({"from": start} if start else {})}
            async with (
                self._limit,
                self._http.get(
                    f"/_matrix/client/v3/rooms/{room_id}/messages", params=query, headers=headers
                ) as response,
            ):
                page = await response.json()
            moments.extend(event["origin_server_ts"] / 1000 for event in page.get("chunk", []))
            if not page.get("chunk") or not page.get("end"):
                return moments
            start = page["end"]

    async def bare_sends(self, sender: Account, rooms: list[str], concurrency: int) -> float:
        """Seconds for the homeserver to take one plain message into each of these rooms, ``concurrency`` at a
        time: what Synapse itself allows, to set the bot's own sending against."""
        assert self._http is not None
        http, headers, gate = (
            self._http,
            {"Authorization": f"Bearer {sender.token}"},
            asyncio.Semaphore(concurrency),
        )

        async def send(number: int, room_id: str) -> None:
            path = f"/_matrix/client/v3/rooms/{room_id}/send/m.room.message/bare-{number}"
            async with (
                gate,
                http.put(path, json={"msgtype": "m.notice", "body": "bench"}, headers=headers) as sent,
            ):
                sent.raise_for_status()

        started = time.monotonic()
        await asyncio.gather(*(send(number, room_id) for number, room_id in enumerate(rooms)))
        return time.monotonic() - started

    async def joined_rooms(self, account: Account) -> set[str]:
        assert self._http is not None
        headers = {"Authorization": f"Bearer {account.token}"}
        async with self._http.get("/_matrix/client/v3/joined_rooms", headers=headers) as response:
            return set((await response.json())["joined_rooms"])

    async def direct_chat(self, person: Account, bot: Account) -> str:
        """As Element opens one: a private room, the bot invited and flagged direct, encrypted from the start; the
        bot's account joins it."""
        created = await self._post(
            person.token,
            "/_matrix/client/v3/createRoom",
            {
                "is_direct": True,
                "invite": [bot.user_id],
                "preset": "trusted_private_chat",
                "initial_state": [ENCRYPTION],
            },
        )
        room_id = str(created["room_id"])
        await self._post(bot.token, f"/_matrix/client/v3/join/{room_id}", {})
        return room_id


def bot_environment(homeserver: Homeserver, bot: str, directory: Path, keys: str) -> dict[str, str]:
    return {
        **os.environ,
        "VHBOT_DATA_DIR": str(directory),
        "VHBOT_ENCRYPTION_KEYS": keys,
        "VHBOT_RATE_MESSAGES_PER_MINUTE": "1000000",
        "VHBOT_MATRIX_HOMESERVER": homeserver.url,
        "VHBOT_MATRIX_USER_ID": bot,
        "VHBOT_MATRIX_PASSWORD": PASSWORD,
        "VHBOT_HTTP_PORT": str(free_port()),
        "VHBOT_OPS_PORT": str(free_port()),
    }


def vhbot(*arguments: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "bot.cli", *arguments], env=env, cwd=ROOT, check=True, capture_output=True
    )


def start_serve(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve"],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


async def seed_store(
    env: dict[str, str], directory: Path, professionals: list[str], regisseur: str, disabled: int
) -> None:
    """The demo people, the region's professionals (one CSV import; the last ``disabled`` of them disabled, as
    people who have left their organisation), a procesregisseur at a real client, and 300 open cases each with an
    open action held by one of the professionals."""
    directory.mkdir(parents=True)
    vhbot("migrate", env=env)
    vhbot("demo", env=env)
    listing = directory / "people.csv"
    with listing.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "organisation", "role", "handle", "matrix"])
        for number, user_id in enumerate(professionals):
            writer.writerow(
                [f"Professional {number}", "Wijkteam Amersfoort-Noord", "melder", f"p{number}", user_id]
            )
        writer.writerow(
            [
                "Bench Regisseur",
                "Zorg- en Veiligheidshuis Voorbeeldregio",
                "procesregisseur",
                "bench",
                regisseur,
            ]
        )
    vhbot("users", "import", str(listing), env=env)
    app = build_app(
        Settings(data_dir=directory, encryption_keys=SecretStr(env["VHBOT_ENCRYPTION_KEYS"])), SystemClock()
    )
    try:
        async with app.sessions() as session, session.begin():
            holders = [f"p{n}" for n in range(min(CASES, len(professionals)))]
            await add_cases(session, CASES, holders, ["bench"], app.now())
            gone = [f"p{n}" for n in range(len(professionals) - disabled, len(professionals))]
            await session.execute(
                update(Professional).where(Professional.handle.in_(gone)).values(active=False)
            )
    finally:
        await app.close()


async def add_cases(
    session: AsyncSession, count: int, holders: list[str], directors: list[str], now: datetime
) -> list[Action]:
    """``count`` open cases, each with one open action due in a week; holders and procesregisseurs (by handle)
    take turns."""
    held = [await people.professional_by_handle(session, handle) for handle in holders]
    directing = [await people.professional_by_handle(session, handle) for handle in directors]
    actions = []
    for n in range(count):
        holder, director = held[n % len(held)], directing[n % len(directing)]
        assert holder is not None and director is not None
        case = Case(
            number=f"VH-2026-{n + 1:04d}", state=CaseState.UITVOERING, melder_id=holder.id,
            procesregisseur_id=director.id, gemeente="Amersfoort", subject_type="persoon",
            leefgebieden=["wonen"], ketens=["zorg"], urgency="normaal", informed="ja", goal="bench",
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(case)
        await session.flush()
        action = Action(
            case_id=case.id, seq=1, description="Huisbezoek afleggen", holder_id=holder.id,
            holder_organisation_id=holder.organisation_id, deadline=now + timedelta(days=7),
            status=ActionStatus.OPEN, created_by_id=director.id, created_at=now,
        )  # fmt: skip
        session.add(action)
        actions.append(action)
    await session.flush()
    return actions


@dataclass
class Figures:
    first_start: float = float("nan")
    restart: float = float("nan")
    memory: float = float("nan")
    p50: float = float("nan")
    p95: float = float("nan")
    echo_p50: float = float("nan")
    echo_p95: float = float("nan")
    leaving: float = float("nan")  # from the first start until the disabled people's chats are left


UNREADABLE = "versleutelde bericht niet lezen"  # the bot's line for a message it got no key for


async def first_answer(person: Person, room: str, bot: str, started: float, joins: bool) -> float:
    """Seconds from the process start until ``status`` is answered. On the first start (``joins``) the bot must
    take the invite first (a message sent before its device is in the room is one it can never read), and greets;
    after that the message is sent at once, and the bot answers it when its sync catches up."""
    async with asyncio.timeout(ANSWER_WAIT_SECONDS):
        await person.wait_for_member(room, bot, seconds=ANSWER_WAIT_SECONDS)
        if joins:
            await person.greeted(room)
        await person.say(room, "status")
        _, body, _ = await person.receive(ANSWER_WAIT_SECONDS)
    if UNREADABLE in body:
        raise RuntimeError("the bot could not read the message: the benchmark's client sent it too early")
    return time.monotonic() - started


async def run_bot(
    env: dict[str, str],
    log: Path,
    person: Person,
    room: str,
    messages: int,
    figures: Figures,
    left: Callable[[], Awaitable[None]],
) -> None:
    """First start ever (and, where people are disabled, until their chats are left), a restart with everything
    kept, the memory and the status times, for one bot."""
    for attempt in ("first", "restart"):
        started = time.monotonic()
        process = start_serve(env, log)
        try:
            seconds = await first_answer(
                person, room, env["VHBOT_MATRIX_USER_ID"], started, attempt == "first"
            )
            if attempt == "first":
                figures.first_start = seconds
                await left()
                figures.leaving = time.monotonic() - started
            else:
                figures.restart = seconds
                await asyncio.sleep(3)
                await person.drain()
                replies = await answer_count(person, room, "status")
                times = [await timed(person, room, "status", replies) for _ in range(messages)]
                figures.p50, figures.p95 = statistics.median(times), percentile(times, 0.95)
                figures.memory = rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=60)
        await asyncio.sleep(1)
        await person.drain()
    figures.echo_p50, figures.echo_p95 = await echo_times(
        env, log.parent / f"echo-{log.stem}", person, room, messages
    )


async def echo_times(
    env: dict[str, str], store: Path, person: Person, room: str, messages: int
) -> tuple[float, float]:
    """The same account answered by a bare nio echo bot (a device of its own): what the homeserver's own
    growth with the account's rooms is, next to vhbot's."""
    command = [
        sys.executable, "-m", "bench.matrix_echo", env["VHBOT_MATRIX_HOMESERVER"], env["VHBOT_MATRIX_USER_ID"],
        PASSWORD, str(store),
    ]  # fmt: skip
    store.mkdir()
    process = await asyncio.create_subprocess_exec(
        *command, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        assert process.stdout is not None
        async with asyncio.timeout(ANSWER_WAIT_SECONDS):
            await process.stdout.readline()  # "echo ready", after its first sync
        for _ in range(10):  # until the person's client shares its room key with the new device too
            await person.say(room, "status")
            try:
                await person.receive(20.0)
                break
            except TimeoutError:
                continue
        await person.drain()
        times = [await timed(person, room, "status", 1) for _ in range(messages)]
        return statistics.median(times), percentile(times, 0.95)
    finally:
        process.terminate()
        await process.wait()


async def until_in(homeserver: Homeserver, bot: Account, rooms: int) -> None:
    """Until the bot's account is in no more than this many rooms."""
    async with Region(homeserver) as region, asyncio.timeout(ANSWER_WAIT_SECONDS):
        while len(await region.joined_rooms(bot)) > rooms:
            await asyncio.sleep(1)


async def measure(count: int, disabled: int, messages: int, directory: Path) -> None:
    (directory / "synapse").mkdir()
    homeserver = Homeserver(synapse_python(), directory / "synapse")
    homeserver.start()
    persons: list[Person] = []
    try:
        suffix = uuid.uuid4().hex[:6]
        async with Region(homeserver) as region:
            big, small = await region.account(f"region-{suffix}"), await region.account(f"small-{suffix}")
            started = time.monotonic()
            professionals = await asyncio.gather(*(region.account(f"p{n}-{suffix}") for n in range(count)))
            registered = time.monotonic() - started
            await asyncio.gather(*(region.direct_chat(person, big) for person in professionals))
            chats = time.monotonic() - started - registered
        print(
            f"set-up: {count} accounts in {registered:.0f} s, their direct chats with the bot in {chats:.0f} s"
        )
        results: dict[str, Figures] = {}
        for name, bot in (("1 room", small), (f"{count} rooms", big)):
            regisseur = homeserver.register(f"regisseur-{name.split()[0]}-{suffix}", PASSWORD)
            keys = new_key_entry()
            env = bot_environment(homeserver, bot.user_id, directory / f"vhbot-{name.split()[0]}", keys)
            await seed_store(
                env,
                directory / f"vhbot-{name.split()[0]}",
                [a.user_id for a in professionals],
                regisseur,
                disabled,
            )
            person = Person(homeserver.url, regisseur, directory / f"client-{name.split()[0]}")
            persons.append(person)
            await person.start(PASSWORD)
            # The bot is not running yet: the room waits with the invite, which the bot takes at its first start.
            created = await person.client.room_create(
                is_direct=True, invite=[bot.user_id], initial_state=[ENCRYPTION]
            )
            room = str(created.room_id)
            results[name] = figures = Figures()
            stays = (count - disabled if bot is big else 0) + 1  # and the procesregisseur's chat
            await run_bot(
                env, directory / f"vhbot-{name.split()[0]}.log", person, room, messages, figures,
                functools.partial(until_in, homeserver, bot, stays),
            )  # fmt: skip
    finally:
        for person in persons:
            await person.stop()
        homeserver.stop()
    report(results, count, disabled, messages)


def report(results: dict[str, Figures], count: int, disabled: int, messages: int) -> None:
    small, big = results["1 room"], results[f"{count} rooms"]
    print(f"vhbot serve with its Matrix account in 1 room, and in {count} rooms (one per professional)")
    if disabled:
        print(
            f"{disabled} of the {count} are disabled: their chats were left {big.leaving:.0f} s after the first"
            f" start; the account then holds {count - disabled + 1} rooms"
        )
    print(f"{'':34}{'1 room':>12}{f'{count} rooms':>14}{'ratio':>9}")
    rows = [
        ("first start ever, to first answer", small.first_start, big.first_start, "s"),
        ("restart (store kept), to first answer", small.restart, big.restart, "s"),
        ("resident memory", small.memory, big.memory, "MB"),
        (f"status p50 ({messages} messages)", 1000 * small.p50, 1000 * big.p50, "ms"),
        (f"status p95 ({messages} messages)", 1000 * small.p95, 1000 * big.p95, "ms"),
        ("bare nio echo bot p50, same account", 1000 * small.echo_p50, 1000 * big.echo_p50, "ms"),
        ("bare nio echo bot p95, same account", 1000 * small.echo_p95, 1000 * big.echo_p95, "ms"),
    ]
    for label, one, many, unit in rows:
        print(f"{label:<38}{one:>8.1f} {unit:<3}{many:>10.1f} {unit:<3}{many / one:>7.2f}x")
    growth = (big.p50 / small.p50) / (big.echo_p50 / small.echo_p50)
    print(
        f"vhbot's own growth with the rooms, beyond the homeserver's (p50 ratio over the echo bot's): {growth:.2f}x"
    )
    print("goals: restart <= 10 s, memory <= 250 MB, status p50 and p95 <= 1.2x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument(
        "--disabled",
        type=int,
        default=0,
        help="of the people, how many are disabled (the bot leaves their chats)",
    )
    parser.add_argument(
        "--keep", type=Path, help="work in this (new) directory and keep it: the logs, the stores"
    )
    arguments = parser.parse_args()
    if arguments.keep:
        arguments.keep.mkdir(parents=True)
        asyncio.run(measure(arguments.people, arguments.disabled, arguments.messages, arguments.keep))
        return
    with tempfile.TemporaryDirectory(prefix="vhbot-region-") as directory:
        asyncio.run(measure(arguments.people, arguments.disabled, arguments.messages, Path(directory)))


if __name__ == "__main__":
    main()
