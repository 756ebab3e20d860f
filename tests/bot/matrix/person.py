"""A professional at a Matrix client of their own: a separate nio client with its own device and crypto store,
talking to the bot only through the homeserver, in encrypted direct chats as Element creates them.

What a test does with the messages it receives (waiting, expecting, asking) is in :class:`Correspondent`, so the
same scenario runs against this client and against matrix-js-sdk (``tests/bot/matrix/element.py``)."""

from __future__ import annotations

import asyncio
import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    MatrixRoom,
    MegolmEvent,
    RoomCreateError,
    RoomMessageNotice,
    RoomMessageText,
    RoomPreset,
    RoomSendError,
)

ENCRYPTION = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
REPLY_SECONDS = 20.0
# How long no message means a burst of replies has ended; scripts/test-dates allows more (everything is slower).
QUIET_SECONDS = float(os.environ.get("VHBOT_TEST_QUIET_SECONDS", "0.8"))
# The start of the bot's first message in every chat (config/texts/nl.toml, matrix.intro).
GREETING = "Dit is een chatbot, geen persoon"


class Correspondent(ABC):
    """A professional's client as the tests see it: messages from others arrive in ``inbox`` as (room, plain
    body, event with ``event_id`` and ``content``); those that came in clear text are listed in ``unencrypted``,
    and events the client could not decrypt in ``unreadable``."""

    user_id: str

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[tuple[str, str, dict[str, Any]]] = asyncio.Queue()
        self.unencrypted: list[str] = []
        self.unreadable: list[str] = []

    @abstractmethod
    async def start(self, password: str) -> None:
        """Logs in as a new device and starts syncing."""

    @abstractmethod
    async def stop(self) -> None: ...

    @abstractmethod
    async def open_direct_chat(self, bot: str, encrypted: bool = True, greeted: bool = True) -> str:
        """As Element does it: a private room, the bot invited, flagged direct, encrypted from the start; with
        ``greeted``, once the bot's first message has arrived (``greeted``)."""

    @abstractmethod
    async def is_encrypted(self, room_id: str) -> bool: ...

    @abstractmethod
    async def say(self, room_id: str, text: str, reply_to: str | None = None) -> str:
        """Sends ``text`` (as a reply to the event ``reply_to``); the event id."""

    async def arrived(self, room_id: str, body: str, event: dict[str, Any], encrypted: bool) -> None:
        if not encrypted:
            self.unencrypted.append(str(event["event_id"]))
        await self.inbox.put((room_id, body, event))

    async def receive(self, seconds: float = REPLY_SECONDS) -> tuple[str, str, dict[str, Any]]:
        """The next message from someone else: (room, plain body, raw event)."""
        return await asyncio.wait_for(self.inbox.get(), seconds)

    async def expect(self, fragment: str, seconds: float = REPLY_SECONDS) -> tuple[str, str, dict[str, Any]]:
        """The first message containing ``fragment`` (others before it are passed over)."""
        async with asyncio.timeout(seconds):
            while True:
                message = await self.inbox.get()
                if fragment in message[1]:
                    return message

    async def replies(self, seconds: float = REPLY_SECONDS) -> list[str]:
        """The bodies of the bot's next burst of messages: the first within ``seconds``, then until quiet."""
        bodies = [(await self.receive(seconds))[1]]
        while True:
            try:
                bodies.append((await self.receive(QUIET_SECONDS))[1])
            except TimeoutError:
                return bodies

    async def ask(self, room_id: str, *texts: str) -> str:
        """Says each text in turn, as a person would after the bot's first answer; returns the whole answer to
        the last one (the bot answers a room's messages in order, so earlier answers are drained first)."""
        for text in texts[:-1]:
            await self.say(room_id, text)
            await self.receive()
        await self.drain()
        await self.say(room_id, texts[-1])
        return "\n".join(await self.replies())

    async def greeted(self, room_id: str) -> str:
        """The bot's first message in a chat, which says who runs it; taken from the inbox, so that what the test
        reads next is the answer to what it types."""
        room, body, _ = await self.expect(GREETING)
        assert room == room_id, (room, room_id)
        return body

    async def drain(self) -> None:
        while not await self.nothing_arrives(QUIET_SECONDS):
            pass

    async def nothing_arrives(self, seconds: float) -> bool:
        try:
            await self.receive(seconds)
        except TimeoutError:
            return True
        return False


class Person(Correspondent):
    def __init__(self, homeserver: str, user_id: str, store: Path) -> None:
        """``store`` holds the crypto stores of all people; each gets a directory of their own in it."""
        super().__init__()
        store = store / user_id
        store.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True)
        self.user_id = user_id
        self.client = AsyncClient(homeserver, user_id, store_path=str(store), config=config)
        self.room_key_sessions: list[str] = []  # the Megolm session of each message decrypted, in order
        self._task: asyncio.Task[None] | None = None

    async def start(self, password: str) -> None:
        login = await self.client.login(password, device_name="test-client")
        assert not hasattr(login, "status_code") or login.status_code is None, login
        self.client.add_event_callback(self._on_message, (RoomMessageText, RoomMessageNotice))
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)
        self.client.add_event_callback(self._on_undecryptable, MegolmEvent)
        await self.client.sync(timeout=0, full_state=True)
        self._task = asyncio.create_task(self.client.sync_forever(timeout=1000))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.client.close()

    async def _on_message(self, room: MatrixRoom, event: RoomMessageText | RoomMessageNotice) -> None:
        if event.sender != self.user_id:
            if event.decrypted:
                self.room_key_sessions.append(str(event.session_id))
            await self.arrived(room.room_id, event.body, event.source, event.decrypted)

    async def _on_undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        self.unreadable.append(event.event_id)

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == self.user_id and event.membership == "invite":
            await self.client.join(room.room_id)

    async def open_direct_chat(self, bot: str, encrypted: bool = True, greeted: bool = True) -> str:
        created = await self.client.room_create(
            is_direct=True,
            invite=[bot],
            preset=RoomPreset.trusted_private_chat,
            initial_state=[ENCRYPTION] if encrypted else [],
        )
        assert not isinstance(created, RoomCreateError), created
        await self.wait_for_member(created.room_id, bot)
        if greeted:
            await self.greeted(created.room_id)
        return str(created.room_id)

    async def is_encrypted(self, room_id: str) -> bool:
        return bool(self.client.rooms[room_id].encrypted)

    async def open_group(self, *others: str) -> str:
        created = await self.client.room_create(invite=list(others), initial_state=[ENCRYPTION])
        assert not isinstance(created, RoomCreateError), created
        return str(created.room_id)

    async def wait_for_member(self, room_id: str, user: str, seconds: float = REPLY_SECONDS) -> None:
        """Until ``user`` has joined the room (as this client sees it)."""
        async with asyncio.timeout(seconds):
            while True:
                room = self.client.rooms.get(room_id)
                if room is not None and user in room.users and user not in room.invited_users:
                    return
                await asyncio.sleep(0.1)

    async def wait_until_left(self, room_id: str, user: str, seconds: float = REPLY_SECONDS) -> list[str]:
        """Until ``user`` has left the room (declined an invite); the members who are left."""
        async with asyncio.timeout(seconds):
            while True:
                members = await self.client.joined_members(room_id)
                state = await self.client.room_get_state_event(room_id, "m.room.member", user)
                if state.content.get("membership") == "leave":
                    return [member.user_id for member in members.members]
                await asyncio.sleep(0.2)

    async def say(self, room_id: str, text: str, reply_to: str | None = None) -> str:
        content: dict[str, Any] = {"msgtype": "m.text", "body": text}
        if reply_to:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        sent = await self.client.room_send(room_id, "m.room.message", content, ignore_unverified_devices=True)
        assert not isinstance(sent, RoomSendError), sent
        return str(sent.event_id)
