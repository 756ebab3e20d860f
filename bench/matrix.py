"""vhbot's reply time over Matrix against the transport's floor, on the same Synapse in one run.

A throw-away Synapse on loopback; vhbot as a real ``vhbot serve`` process (SQLite store with the demo people)
and a bare matrix-nio echo bot as another process; one client (a procesregisseur) in an encrypted direct chat
with each. Messages go one at a time, alternating between the two bots so both see the same machine: ``status``
to vhbot, the same text to the echo bot; the time is from sending to the client seeing the (first) answer
through its own sync. Also the resident memory of the vhbot process with the Matrix channel running.

Run: ``scripts/bench-matrix [--messages 200]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tests.bot.matrix.homeserver import ROOT, Homeserver
from tests.bot.matrix.person import Person
from tests.bot.teams.connector import free_port

PASSWORD = "bench-password"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_vhbot(homeserver: Homeserver, bot: str, regisseur: str, directory: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "VHBOT_DATA_DIR": str(directory / "vhbot"),
        "VHBOT_RATE_MESSAGES_PER_MINUTE": "1000000",  # one person sends every message
        "VHBOT_MATRIX_HOMESERVER": homeserver.url,
        "VHBOT_MATRIX_USER_ID": bot,
        "VHBOT_MATRIX_PASSWORD": PASSWORD,
        # Everything else on too, for the resident memory: Teams (local mode), the form pages, operations.
        "VHBOT_TEAMS_LOCAL": "1",
        "VHBOT_HTTP_PORT": str(web_port := free_port()),
        "VHBOT_PUBLIC_URL": f"http://127.0.0.1:{web_port}",
        "VHBOT_OPS_PORT": str(free_port()),
    }
    vhbot = [sys.executable, "-m", "bot.cli"]
    subprocess.run([*vhbot, "demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(
        [*vhbot, "users", "add", "--name", "Bench Regisseur", "--org", "Zorg- en Veiligheidshuis Voorbeeldregio",
         "--role", "procesregisseur", "--handle", "bench", "--matrix", regisseur],
        env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    log = (directory / "vhbot.log").open("wb")
    return subprocess.Popen([*vhbot, "serve"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def start_echo(homeserver: Homeserver, echo: str, directory: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "bench.matrix_echo", homeserver.url, echo, PASSWORD, str(directory)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def answer_count(person: Person, room: str, text: str) -> int:
    """How many messages one answer has (measured once, so that timing never waits for a quiet spell)."""
    await person.drain()
    await person.say(room, text)
    return len(await person.replies())


async def timed(person: Person, room: str, text: str, replies: int) -> float:
    started = time.perf_counter()
    await person.say(room, text)
    await person.receive(30.0)
    elapsed = time.perf_counter() - started
    for _ in range(replies - 1):
        await person.receive(30.0)
    return elapsed


async def measure(messages: int, directory: Path) -> None:
    from tests.bot.matrix.homeserver import synapse_python

    (directory / "synapse").mkdir()
    homeserver = Homeserver(synapse_python(), directory / "synapse")
    homeserver.start()
    processes: list[subprocess.Popen[bytes]] = []
    person: Person | None = None
    try:
        suffix = uuid.uuid4().hex[:6]
        bot = homeserver.register(f"vhbot-{suffix}", PASSWORD)
        echo = homeserver.register(f"echo-{suffix}", PASSWORD)
        regisseur = homeserver.register(f"regisseur-{suffix}", PASSWORD)
        processes.append(start_vhbot(homeserver, bot, regisseur, directory))
        processes.append(start_echo(homeserver, echo, directory))
        person = Person(homeserver.url, regisseur, directory / "client")
        await person.start(PASSWORD)
        vhbot_room = await person.open_direct_chat(bot)
        echo_room = await person.open_direct_chat(echo, greeted=False)  # a bare echo bot says nothing first
        status_replies = await answer_count(person, vhbot_room, "status")
        for _ in range(5):  # warm both up (first encrypted messages, caches)
            await timed(person, vhbot_room, "status", status_replies)
            await timed(person, echo_room, "status", 1)
        await person.drain()
        vhbot_times: list[float] = []
        echo_times: list[float] = []
        for _ in range(messages):
            vhbot_times.append(await timed(person, vhbot_room, "status", status_replies))
            echo_times.append(await timed(person, echo_room, "status", 1))
        memory = rss_mb(processes[0].pid)
    finally:
        if person is not None:
            await person.stop()
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        homeserver.stop()

    def line(name: str, values: list[float]) -> str:
        return (
            f"{name:<18} p50 {1000 * statistics.median(values):7.1f} ms   "
            f"p95 {1000 * percentile(values, 0.95):7.1f} ms"
        )

    print(f"{messages} messages each, alternating, encrypted DMs, one Synapse on loopback")
    print(line("vhbot status", vhbot_times))
    print(line("nio echo bot", echo_times))
    p50 = statistics.median(vhbot_times) / statistics.median(echo_times)
    p95 = percentile(vhbot_times, 0.95) / percentile(echo_times, 0.95)
    print(f"ratio vhbot/echo    p50 {p50:.2f}x (target <= 1.15)   p95 {p95:.2f}x (target <= 1.3)")
    print(
        f"vhbot serve resident memory with Matrix, Teams (local), the form pages and operations running: "
        f"{memory:.0f} MB (target <= 150)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(measure(args.messages, Path(directory)))


if __name__ == "__main__":
    main()
