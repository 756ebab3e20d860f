"""vhbot's Teams reply time against a bare Agents SDK echo agent and a bare botbuilder-core echo bot, in one run.

All three run as processes on loopback in anonymous mode (vhbot: ``vhbot serve`` with ``VHBOT_TEAMS_LOCAL``,
SQLite, the demo people plus a procesregisseur with a Teams id) and post their answers to the same local Bot
Connector stand-in. Messages go one at a time, rotating between the three so all see the same machine:
``status`` to vhbot, the same text to the echo bots; the time is from posting the activity to the connector
having the (first) answer.

Run: ``scripts/bench-teams [--messages 200]``.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.matrix import percentile
from tests.bot.teams.connector import FakeConnector, free_port

ROOT = Path(__file__).resolve().parents[1]
VHBOT = ROOT / ".venv" / "bin" / "vhbot"
BOTBUILDER_PYTHON = ROOT / ".bench-botbuilder" / "bin" / "python"
AAD = "bbbbbbbb-0000-0000-0000-000000000001"


@dataclass
class Bot:
    name: str
    command: list[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    times: list[float] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=os.environ | self.env, cwd=ROOT)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def prepare_vhbot(data_dir: Path) -> dict[str, str]:
    # One person sends all the messages: the abuse limit is lifted for the benchmark.
    env = {
        "VHBOT_DATA_DIR": str(data_dir),
        "VHBOT_TEAMS_LOCAL": "true",
        "VHBOT_RATE_MESSAGES_PER_MINUTE": "1000000",
    }
    for command in (
        ["demo"],
        [
            "users",
            "add",
            "--name",
            "Bench Regisseur",
            "--org",
            "Zorg- en Veiligheidshuis Voorbeeldregio",
            "--role",
            "procesregisseur",
            "--teams",
            AAD,
        ],
    ):
        subprocess.run([str(VHBOT), *command], env=os.environ | env, check=True, capture_output=True)
    return env


def activity(text: str, conversation: str, service_url: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": uuid.uuid4().hex,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "29:bench", "aadObjectId": AAD, "name": "Bench"},
        "recipient": {"id": "28:bot", "name": "bot"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": "bench-tenant"},
        "text": text,
    }


async def wait_until_up(http: aiohttp.ClientSession, bot: Bot, connector: FakeConnector) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            async with http.post(bot.url, json=activity("help", f"warmup-{bot.name}", connector.url)):
                return
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{bot.name} did not come up")


async def one(http: aiohttp.ClientSession, bot: Bot, connector: FakeConnector, text: str) -> None:
    """One message, timed until its first answer is at the connector (what the person sees; bookkeeping after
    it, e.g. vhbot's, is not counted). The previous message's answers are all in: each bot answers before it
    responds to the post, and the post's response is awaited. Waiting is event-driven: a polling loop would
    take a core from the bots on a small machine."""
    before = len(connector.posted)
    started = time.perf_counter()
    request = asyncio.ensure_future(
        http.post(bot.url, json=activity(text, f"bench-{bot.name}", connector.url))
    )
    await connector.wait_for(before + 1, seconds=30.0)
    bot.times.append((time.perf_counter() - started) * 1000)
    async with await request as response:
        assert response.status < 300, response.status


async def measure(bots: list[Bot], messages: int) -> None:
    connector = FakeConnector()
    await connector.start()
    try:
        async with aiohttp.ClientSession() as http:
            for bot in bots:
                await wait_until_up(http, bot, connector)
            for n in range(messages):
                for bot in bots[n % len(bots) :] + bots[: n % len(bots)]:
                    await one(http, bot, connector, "status" if bot.name == "vhbot" else f"echo {n}")
    finally:
        await connector.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        vhbot_port = free_port()
        env = prepare_vhbot(Path(directory)) | {"VHBOT_HTTP_PORT": str(vhbot_port)}
        agents_port, botbuilder_port = free_port(), free_port()
        bots = [
            Bot("vhbot", [str(VHBOT), "serve"], vhbot_port, env),
            Bot("agents-sdk-echo", [sys.executable, "-m", "bench.teams_echo", str(agents_port)], agents_port),
            Bot(
                "botbuilder-echo",
                [
                    str(BOTBUILDER_PYTHON),
                    str(ROOT / "bench" / "teams_botbuilder_echo.py"),
                    str(botbuilder_port),
                ],
                botbuilder_port,
            ),
        ]
        for bot in bots:
            bot.start()
        try:
            asyncio.run(measure(bots, args.messages))
        finally:
            for bot in bots:
                bot.stop()
    print(f"{args.messages} messages each, one at a time, rotating; reply time in ms")
    for bot in bots:
        print(
            f"  {bot.name:16} p50 {statistics.median(bot.times):7.2f}  p95 {percentile(bot.times, 0.95):7.2f}"
        )
    vhbot, agents, botbuilder = bots
    print(
        f"  vhbot / Agents SDK echo: p50 {statistics.median(vhbot.times) / statistics.median(agents.times):.2f}x "
        f"(target <= 1.5);  vhbot / botbuilder echo: p50 "
        f"{statistics.median(vhbot.times) / statistics.median(botbuilder.times):.2f}x (target < 1)"
    )


if __name__ == "__main__":
    main()
