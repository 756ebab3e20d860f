"""The Microsoft 365 Agents Playground (npm, installed into .node by scripts/setup-node-tools): a Teams-like
client none of us wrote, started per professional on loopback and driven over its HTTP and WebSocket interface.

Each Playground has one signed-in user (set in its config file) with a personal chat with the bot, so two
professionals are two Playgrounds, as two people are two Teams clients.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.bot.teams.shown import card_in, shown_text

ROOT = Path(__file__).resolve().parents[3]
CLI = ROOT / ".node" / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"
PRELOAD = Path(__file__).with_name("loopback.cjs")
REPLY_SECONDS = 15.0

CONFIG = """version: "0.1.1"
tenantId: {tenant}
bot:
  id: 00000000-0000-0000-0000-00000000000011
  name: vhbot
currentUser:
  id: user-id-0
  name: {name}
  userPrincipleName: {handle}@example.org
  aadObjectId: {aad}
  givenName: {name}
  surname: Test
  email: {handle}@example.org
users:
{colleagues}personalChat:
  id: personal-{handle}
groupChat:
  id: group-{handle}
  name: Group Chat
team:
  id: team-{handle}
  name: My Team
  aadGroupId: 00000000-0000-0000-0000-000000000031
  channels:
    - id: channel-{handle}
      name: Announcements
"""


def _colleagues(count: int = 5) -> str:
    """The other people in its tenant (the Playground insists on at least five)."""
    return "".join(
        f"  - id: user-id-{n}\n    name: Colleague {n}\n    userPrincipleName: colleague{n}@example.org\n"
        f"    aadObjectId: 00000000-0000-0000-0000-00000000c0{n:02d}\n    givenName: Colleague\n"
        f"    surname: Test\n    email: colleague{n}@example.org\n"
        for n in range(1, count + 1)
    )


def node_or_skip() -> str:
    node = shutil.which("node")
    if node is None or not CLI.exists():
        reason = "Node.js or the Agents Playground (.node, scripts/setup-node-tools) is not installed"
        if os.environ.get("VHBOT_REQUIRE_PLAYGROUND") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return node


class Playground:
    """One signed-in professional at a Playground pointed at the bot's endpoint; stopped by process id."""

    def __init__(self, workdir: Path, endpoint: str, handle: str, aad: str, tenant: str) -> None:
        self.workdir = workdir
        self.endpoint = endpoint
        self.handle = handle
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / ".m365agentsplayground.yml").write_text(
            CONFIG.format(
                tenant=tenant, name=handle.title(), handle=handle, aad=aad, colleagues=_colleagues()
            )
        )
        self._process: subprocess.Popen[str] | None = None
        self.port = 0
        self.chat = f"personal-{handle}"
        self._http: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def start(self) -> None:
        env = os.environ | {
            "TEAMSAPPTESTER_BROWSER": "none",
            "NODE_OPTIONS": f"--require {PRELOAD}",
        }
        self._process = subprocess.Popen(  # noqa: ASYNC220 - returns at once; the port is awaited in a thread
            [
                node_or_skip(),
                str(CLI),
                "-e",
                self.endpoint,
                "-c",
                "msteams",
                "--disable-telemetry",
                "-p",
                "0",
            ],
            cwd=self.workdir,
            env=env,
            stdin=subprocess.PIPE,  # it quits when its input ends: keep it open until stopped
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.port = await asyncio.to_thread(self._listening_port)
        await asyncio.sleep(
            0.5
        )  # it reads its config file after it has started listening, and quits if it is bad
        if self._process.poll() is not None:
            self._listening_port()  # raises with the Playground's own log
        self._http = aiohttp.ClientSession(f"http://127.0.0.1:{self.port}")
        self._socket = await self._http.ws_connect("/_ws_conversation/v1/conversations/stream")
        self._reader = asyncio.create_task(self._read())

    def _listening_port(self) -> int:
        assert self._process is not None and self._process.stdout is not None
        seen = []
        for line in self._process.stdout:
            seen.append(line)
            found = re.search(r"Listening on (\d+)", line)
            if found:
                return int(found.group(1))
        log = self.workdir / "devTools" / "m365agentsplayground.log"
        details = log.read_text() if log.exists() else "".join(seen)
        raise RuntimeError("the Agents Playground did not start:\n" + details)

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._socket is not None:
            await self._socket.close()
        if self._http is not None:
            await self._http.close()
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait(timeout=10)

    async def _read(self) -> None:
        assert self._socket is not None
        async for frame in self._socket:
            event = json.loads(frame.data)
            if event.get("action") == "createMessage":  # one user, one personal chat per Playground
                await self.inbox.put(event["message"])

    async def say(self, text: str) -> None:
        assert self._http is not None
        body = {"from": {"id": "user-id-0"}, "text": text, "textFormat": "plain"}
        async with self._http.post(
            f"/_conversation/v1/conversations/{self.chat}/messages", json=body
        ) as response:
            assert response.status == 200, await response.text()

    async def press(self, message: dict[str, Any], title: str) -> dict[str, Any]:
        """Presses the button ``title`` of the card in ``message`` (Action.Execute); returns the invoke's answer."""
        assert self._http is not None
        action = next(a for a in card_of(message)["actions"] if title in (a["title"], button_label(a)))
        body = {
            "name": "adaptiveCard/action",
            "value": {"action": {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]}},
            "from": {"id": "user-id-0"},
            "conversation": {"id": self.chat},
            "replyToId": message["messageId"],
        }
        async with self._http.post("/_conversation/v1/invoke", json=body) as response:
            assert response.status == 200, await response.text()
            return dict(await response.json())

    async def receive(self, seconds: float = REPLY_SECONDS) -> dict[str, Any]:
        return await asyncio.wait_for(self.inbox.get(), seconds)

    async def expect(self, fragment: str, seconds: float = REPLY_SECONDS) -> dict[str, Any]:
        """The first message whose text contains ``fragment`` (others before it are passed over)."""
        async with asyncio.timeout(seconds):
            while True:
                message = await self.inbox.get()
                if fragment in shown_text(message):
                    return message

    async def replies(self, quiet: float = 0.5) -> list[dict[str, Any]]:
        """The bot's next burst: the first message, then whatever follows until it is quiet."""
        burst = [await self.receive()]
        while True:
            try:
                burst.append(await self.receive(quiet))
            except TimeoutError:
                return burst

    async def ask(self, *texts: str) -> str:
        """Says each text in turn after the bot has answered the previous one; the text of the last answer."""
        answer: list[dict[str, Any]] = []
        for text in texts:
            await self.say(text)
            answer = await self.replies()
        return "\n".join(shown_text(message) for message in answer)

    def drain(self) -> None:
        while not self.inbox.empty():
            self.inbox.get_nowait()


def button_label(action: dict[str, Any]) -> str:
    """A button's option without the number it is shown with ('1. gedaan' is 'gedaan')."""
    data = action.get("data") or {}
    return str((data.get("labels") or {}).get(data.get("choice"), action["title"]))


def card_of(message: dict[str, Any]) -> dict[str, Any]:
    card = card_in(message)
    if card is None:
        raise AssertionError(f"no card in {message!r}")
    return card
