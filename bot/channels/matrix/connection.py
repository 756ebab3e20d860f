"""One logged-in Matrix device: first login or restore, device trust, sending, and finding a person's DM.

The device is logged in once and kept (``login``). Errors from the homeserver are sorted into the delivery engine's
three kinds.

Rooms are known lazily. nio keeps no room state across starts, and asking the homeserver for the state of every
room at each start is what made a region's account (a few thousand direct chats) slow to come back. So a room's
members are complete only after a full sync or after the room was loaded on its own (``room``), which happens when
someone writes in it or the bot writes to it; which room is whose direct chat is kept in the case store.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientError
from nio import (
    AsyncClient,
    ErrorResponse,
    Event,
    MatrixRoom,
    OlmUnverifiedDeviceError,
    RoomCreateError,
    RoomGetStateError,
    RoomInfo,
    RoomLeaveError,
    RoomMemberEvent,
    RoomPreset,
    RoomSendError,
    UploadResponse,
)
from nio.crypto import OlmDevice

from bot import metrics
from bot.senders import PermanentFailure, RateLimited, SendError, TemporaryFailure
from config.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "matrix"  # the channel's name in the store (addresses, handled messages)
ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}
# Errors of the network rather than of the homeserver's answer.
NETWORK_ERRORS = (ClientError, OSError, TimeoutError)
# Told of each direct chat found or made, so that the next start knows it without asking for every room's state.
KeepDirect = Callable[[Mapping[str, str]], Awaitable[None]]


def failure_of(response: ErrorResponse, what: str) -> SendError:
    """A homeserver's error answer as the engine's kind: slow down, try again, or give up on this address."""
    code = response.status_code or ""
    status = response.transport_response.status if response.transport_response else 0
    if code == "M_LIMIT_EXCEEDED" or status == 429:
        retry_after = (getattr(response, "retry_after_ms", None) or 5000) / 1000
        return RateLimited(retry_after, "matrix")
    if code in ("M_FORBIDDEN", "M_NOT_FOUND", "M_UNKNOWN", "M_INVALID_PARAM") or 400 <= status < 429:
        return PermanentFailure(f"{what}: {code or status}")
    return TemporaryFailure(f"{what}: {code or status}")


@dataclass(frozen=True)
class Introduction:
    """How every chat says who runs the bot and what it is for (people should never wonder whether a person is
    typing): its topic, and the bot's first message there (the content of an ``m.notice``)."""

    topic: str
    message: dict[str, Any]


class MatrixConnection:
    def __init__(
        self, client: AsyncClient, settings: Settings, keep_direct: KeepDirect, introduction: Introduction
    ) -> None:
        self.client = client
        self._introduction = introduction
        self._trust_on_first_use = settings.matrix_device_trust == "tofu"
        self._trusted = {entry.strip() for entry in settings.matrix_trusted_devices}
        self._keep_direct = keep_direct
        self._direct: dict[str, str] = {}
        self._complete: set[str] = set()  # rooms whose members nio knows in full
        metrics.MATRIX_ROOMS_LOADED.set(0)
        self._creating: dict[str, asyncio.Lock] = {}

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    async def close(self) -> None:
        await self.client.close()

    def know_direct(self, rooms: Mapping[str, str]) -> None:
        """The direct chats the store remembers (checked when used)."""
        self._direct.update(rooms)

    async def after_sync(self, rooms: Mapping[str, RoomInfo], full: bool) -> None:
        """After nio took in a sync: a full one (the first ever, or with full state) brought every room's
        members, and the direct chats among them are kept. An incremental one lazy-loads members, so a room whose
        timeline has a gap may have had members come or go unseen: it is loaded again when next used."""
        if full:
            self._loaded(*rooms)
            await self._keep(self._direct_chats(rooms))
        else:
            self._unload(room_id for room_id, info in rooms.items() if info.timeline.limited)

    def _direct_chats(self, room_ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for room_id in room_ids:
            room = self.client.rooms.get(room_id)
            person = None if room is None else self._partner(room)
            if person is not None:
                found[person] = room_id
        return found

    def _partner(self, room: MatrixRoom) -> str | None:
        """The one person this room is a private chat with, if it is one."""
        others = [user for user in room.users if user != self.user_id]
        return others[0] if len(others) == 1 and self.private(room, others[0]) else None

    async def _keep(self, found: Mapping[str, str]) -> None:
        new = {person: room_id for person, room_id in found.items() if self._direct.get(person) != room_id}
        if new:
            self._direct.update(new)
            await self._keep_direct(new)

    async def room(self, room_id: str) -> MatrixRoom | None:
        """The room with all its members and its encryption known: loaded from the homeserver the first time it is
        used in this run (unless a full sync brought it). None when the bot is not in it."""
        room = self.client.rooms.get(room_id)
        if room is not None and (room_id in self._complete or room.members_synced):
            return room
        try:
            state = await self.client.room_get_state(room_id)
        except NETWORK_ERRORS as error:
            raise TemporaryFailure(type(error).__name__) from error
        if isinstance(state, RoomGetStateError):
            if state.status_code in ("M_FORBIDDEN", "M_NOT_FOUND"):
                return None
            raise TemporaryFailure(f"room state: {state.status_code}")
        room = self.client.rooms.setdefault(room_id, MatrixRoom(room_id, self.user_id))
        self._take_state(room, state.events)
        if self.user_id not in room.users:  # the state of a room the bot has left
            self.client.rooms.pop(room_id, None)
            return None
        self._loaded(room_id)
        if (person := self._partner(room)) is not None:
            await self._keep({person: room_id})
        return room

    def _loaded(self, *room_ids: str) -> None:
        self._complete.update(room_ids)
        metrics.MATRIX_ROOMS_LOADED.set(len(self._complete))

    def _unload(self, room_ids: Iterable[str]) -> None:
        for room_id in room_ids:
            self._complete.discard(room_id)
            if (room := self.client.rooms.get(room_id)) is not None:
                room.members_synced = False
        metrics.MATRIX_ROOMS_LOADED.set(len(self._complete))

    async def leave(self, person: str, room_id: str) -> bool:
        """Leaves and forgets this person's chat; True once the bot is out of it (or was already). The next time
        the bot must write to them, it opens a new one."""
        try:
            left = await self.client.room_leave(room_id)
            if isinstance(left, RoomLeaveError) and left.status_code not in ("M_FORBIDDEN", "M_NOT_FOUND"):
                return False
            await self.client.room_forget(room_id)
        except NETWORK_ERRORS:
            return False
        if self._direct.get(person) == room_id:
            del self._direct[person]
        self._unload([room_id])
        self.client.rooms.pop(room_id, None)
        return True

    def _take_state(self, room: MatrixRoom, events: list[dict[str, Any]]) -> None:
        """Applies a room's current state as a sync would, except that nobody a sync already brought in is
        removed: a sync that raced this request can make a room look less private, never more."""
        for source in events:
            event = Event.parse_event(source)
            if isinstance(event, RoomMemberEvent):
                others_leave = event.membership in ("leave", "ban") and event.state_key != self.user_id
                if others_leave and event.state_key in room.users:
                    continue
                room.handle_membership(event)
            elif event is not None:
                room.handle_event(event)
        if room.encrypted:
            self.client.encrypted_rooms.add(room.room_id)
            if self.client.olm is not None:
                self.client.olm.update_tracked_users(room)

    def private(self, room: MatrixRoom, person: str) -> bool:
        """Only the bot and this person in the room (joined or invited): case content may be shown. The count is
        the larger of the sync's summary and the members known: a summary can lag behind the room's state (a room
        just made, before its invite), and lazily loaded members can lag behind the summary; either way a room
        never looks more private than one of them says."""
        members = max(room.member_count, len(room.users))
        return members == 2 and person in room.users and self.user_id in room.users

    async def send(self, room_id: str, content: dict[str, Any], tx_id: str) -> str:
        """Send (encrypted where the room is); the transaction id makes a repeated send a no-op at the
        homeserver. Returns the event id."""
        room = await self.room(room_id)
        if room is None:
            raise PermanentFailure("not in that room")
        try:
            if room.encrypted:
                await self._prepare_encryption(room)
            try:
                response = await self.client.room_send(room_id, "m.room.message", content, tx_id=tx_id)
            except OlmUnverifiedDeviceError:  # a device appeared between trusting and sending
                self._trust(room)
                response = await self.client.room_send(room_id, "m.room.message", content, tx_id=tx_id)
        except NETWORK_ERRORS as error:
            raise TemporaryFailure(type(error).__name__) from error
        if isinstance(response, RoomSendError):
            raise failure_of(response, "send")
        return str(response.event_id)

    async def upload_image(self, room_id: str, png: bytes, name: str, alt: str) -> dict[str, Any]:
        """The content of an image message for the room: the picture uploaded to the homeserver, encrypted where
        the room is (the key travels inside the message, which is itself encrypted)."""
        room = await self.room(room_id)
        if room is None:
            raise PermanentFailure("not in that room")
        try:
            uploaded, keys = await self.client.upload(
                lambda *_: io.BytesIO(png),
                content_type="image/png",
                filename=name,
                encrypt=room.encrypted,
                filesize=len(png),
            )
        except NETWORK_ERRORS as error:
            raise TemporaryFailure(type(error).__name__) from error
        if not isinstance(uploaded, UploadResponse):
            raise TemporaryFailure(f"upload refused: {getattr(uploaded, 'status_code', '?')}")
        content: dict[str, Any] = {
            "msgtype": "m.image",
            "body": alt,
            "filename": name,
            "info": {"mimetype": "image/png", "size": len(png)},
        }
        if room.encrypted and keys is not None:
            content["file"] = {"url": uploaded.content_uri, **keys}
        else:
            content["url"] = uploaded.content_uri
        return content

    async def direct_room(self, person: str) -> str:
        """The private, encrypted room with this person; created (and the person invited) when there is none."""
        known = self._direct.get(person)
        if known is not None and await self._is_direct_with(known, person):
            return known
        # One chat per person: notices due together wait here, and take the room the first one made.
        async with self._creating.setdefault(person, asyncio.Lock()):
            known = self._direct.get(person)
            if known is None or not await self._is_direct_with(known, person):
                found = self._find_direct(person)
                known = found or await self._create_direct(person)
                await self._keep({person: known})
                if found is None:  # a chat just made: the bot says who it is before anything else
                    await self._say_who(known)
        return known

    async def _is_direct_with(self, room_id: str, person: str) -> bool:
        room = await self.room(room_id)
        return room is not None and self.private(room, person)

    def _find_direct(self, person: str) -> str | None:
        """Among the rooms known in full in this run (the store's row for this person was not one)."""
        return next(
            (
                room_id
                for room_id in self._complete
                if (room := self.client.rooms.get(room_id)) is not None and self.private(room, person)
            ),
            None,
        )

    async def _create_direct(self, person: str) -> str:
        try:
            created = await self.client.room_create(
                is_direct=True,
                invite=[person],
                preset=RoomPreset.trusted_private_chat,
                initial_state=[ENCRYPTION_STATE, self._topic_state()],
            )
        except NETWORK_ERRORS as error:
            raise TemporaryFailure(type(error).__name__) from error
        if isinstance(created, RoomCreateError):
            raise failure_of(created, "create room")
        room_id = str(created.room_id)
        room = await self.room(room_id)  # read from the homeserver, which has the invite by now
        if room is None or person not in room.users:
            raise TemporaryFailure("new room without its invite")
        return room_id

    def _topic_state(self) -> dict[str, Any]:
        return {"type": "m.room.topic", "state_key": "", "content": {"topic": self._introduction.topic}}

    async def introduce(self, room_id: str) -> None:
        """In a chat someone else opened: its topic says who runs the bot, where the room lets the bot set it (a
        direct chat made as Element makes one does), and so does the bot's first message; where either cannot be
        written, the chat goes on without."""
        state = self._topic_state()
        try:
            answer = await self.client.room_put_state(room_id, state["type"], state["content"])
        except NETWORK_ERRORS as error:
            log.info("matrix: the chat's topic was not set (%s)", type(error).__name__)
        else:
            if isinstance(answer, ErrorResponse):
                log.info("matrix: the chat's topic was not set (%s)", answer.status_code)
        await self._say_who(room_id)

    async def _say_who(self, room_id: str) -> None:
        """The bot's first message in a chat: who runs it and what it is for. Sent once per room (a repeated send
        has the same transaction id); a failure is logged, and what the bot came to say goes out anyway."""
        try:
            await self.send(room_id, self._introduction.message, f"vhbot-intro-{room_id}")
        except SendError as error:
            log.info("matrix: the chat's first message was not sent (%s)", type(error).__name__)

    async def _prepare_encryption(self, room: MatrixRoom) -> None:
        if not room.members_synced:
            await self.client.joined_members(room.room_id)
        if self.client.should_query_keys:
            await self.client.keys_query()
        self._trust(room)

    def _trust(self, room: MatrixRoom) -> None:
        """Decide for every device not yet decided: trust on first use, or only the configured list."""
        for user in room.users:
            for device in self.client.device_store.active_user_devices(user):
                if device.verified or device.blacklisted:
                    continue
                self._decide(user, device)

    def _decide(self, user: str, device: OlmDevice) -> None:
        if self._trust_on_first_use or f"{user} {device.id}" in self._trusted:
            self.client.verify_device(device)
            return
        log.warning("matrix: device %s of %s is not on the trusted list; it gets no keys", device.id, user)
        self.client.blacklist_device(device)
