"""A professional at an Element-grade client: matrix-js-sdk with its Rust crypto in Node (element_client.mjs),
an implementation of Matrix and its encryption that shares no code with the bot's matrix-nio.

The Node process is started per person and stopped by process id; it speaks JSON lines (see the script)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.bot.matrix.person import REPLY_SECONDS, Correspondent

ROOT = Path(__file__).resolve().parents[3]
NODE_MODULES = ROOT / ".node" / "node_modules"
SCRIPT = Path(__file__).with_name("element_client.mjs")
START_SECONDS = 60.0


def node_with_matrix_js_sdk_or_skip() -> str:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "matrix-js-sdk" / "package.json").exists():
        reason = "Node.js or matrix-js-sdk (.node, scripts/setup-node-tools) is not installed"
        if os.environ.get("VHBOT_REQUIRE_MATRIX_JS_SDK") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return node


class ElementPerson(Correspondent):
    def __init__(self, homeserver: str, user_id: str) -> None:
        super().__init__()
        self.homeserver = homeserver
        self.user_id = user_id
        self.device_id = ""
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._answers: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._ready: asyncio.Future[dict[str, Any]] | None = None
        self._next_id = 0

    async def start(self, password: str) -> None:
        self._process = await asyncio.create_subprocess_exec(
            node_with_matrix_js_sdk_or_skip(),
            str(SCRIPT),
            str(NODE_MODULES),
            self.homeserver,
            self.user_id,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        self._ready = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read())
        self._write(password)
        self.device_id = str((await asyncio.wait_for(self._ready, START_SECONDS))["device_id"])

    async def stop(self) -> None:
        if self._process is None:
            return
        if self._process.returncode is None:
            self._process.kill()
        await self._process.wait()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
        self._process = None

    def _write(self, line: str) -> None:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(line.encode() + b"\n")

    async def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        async for line in self._process.stdout:
            await self._take(json.loads(line))
        failure = RuntimeError(f"the matrix-js-sdk client of {self.user_id} stopped")
        for waiting in [self._ready, *self._answers.values()]:
            if waiting is not None and not waiting.done():
                waiting.set_exception(failure)

    async def _take(self, record: dict[str, Any]) -> None:
        if "id" in record:
            self._answers.pop(record["id"]).set_result(record)
        elif record["type"] == "ready" and self._ready is not None:
            self._ready.set_result(record)
        elif record["type"] == "message":
            event = record["event"]
            if event["event_id"] in self.unreadable:  # its keys came after all
                self.unreadable.remove(event["event_id"])
            await self.arrived(record["room"], record["body"], event, event["encrypted"])
        elif record["type"] == "undecryptable":
            self.unreadable.append(record["event_id"])

    async def _call(self, op: str, **arguments: Any) -> dict[str, Any]:
        self._next_id += 1
        answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._answers[self._next_id] = answer
        self._write(json.dumps({"id": self._next_id, "op": op, **arguments}))
        result = await asyncio.wait_for(answer, REPLY_SECONDS * 2)
        assert "error" not in result, result["error"]
        return result

    async def open_direct_chat(self, bot: str, encrypted: bool = True, greeted: bool = True) -> str:
        room = str((await self._call("dm", bot=bot, encrypted=encrypted))["room"])
        if greeted:
            await self.greeted(room)
        return room

    async def is_encrypted(self, room_id: str) -> bool:
        return bool((await self._call("encrypted", room=room_id))["encrypted"])

    async def say(self, room_id: str, text: str, reply_to: str | None = None) -> str:
        return str((await self._call("send", room=room_id, text=text, reply_to=reply_to))["event_id"])
