"""The Matrix channel's listening side: sync, hand each message to the dispatcher, send the answer.

Nothing may be lost, and nothing handled twice:
- the sync token is kept in the case store and moves on only once every message of that sync is handled, so a
  stop at any moment replays from the last handled point; the dispatcher drops what it has seen (by event id,
  in the handling transaction) and returns a kept answer that was never sent;
- a timeline that comes back ``limited`` is filled from ``/messages`` back to the previous token;
- messages are handled off the sync loop, one worker per room, so a slow conversation stalls no other room and
  each room keeps its order;
- only one process syncs the account (a lock in the store); the others stand by and take over when it dies.

A restart resumes from the stored token without asking for every room's full state: the direct chats are in the
store, and a room is loaded when it is first written in or to (see ``connection``). Only a store that knows no
direct chat yet (the first start ever, or one from before they were kept) gets full state once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

from nio import (
    Event,
    LocalProtocolError,
    MegolmEvent,
    MessageDirection,
    RoomInfo,
    RoomMessagesError,
    RoomMessageText,
    SyncError,
    SyncResponse,
)
from nio.exceptions import EncryptionError

from bot import metrics
from bot.app import App
from bot.channels.matrix.batches import Item, SeenEvents, SyncBatch, SyncFailed, transaction_id
from bot.channels.matrix.connection import CHANNEL, NETWORK_ERRORS, Introduction, MatrixConnection
from bot.channels.matrix.invites import Invites
from bot.channels.matrix.leaving import Leaving
from bot.channels.matrix.login import MatrixSetupError, connect
from bot.channels.matrix.render import content_of, text_of
from bot.charts import CHART_FILE, png_of
from bot.dispatcher import Identity
from bot.loops import backoff_seconds, persist, sleep_unless
from bot.senders import SendError, TemporaryFailure
from config.definitions import load_definitions
from config.files import data_file
from handlers.dialogue.messages import Chart, Incoming, Reply
from handlers.identifying.forms import LINK
from storage import cursors, matrix_rooms
from storage.leadership import Leadership

log = logging.getLogger(__name__)

# The room state the bot reads: who is in a room (is it private, whose devices get keys) and whether it is
# encrypted. The rest (names, topics, power levels, join rules…) is left out of every sync: in a region's few
# thousand rooms it was most of what the start-up sync carried, and nio checks each event against a schema.
STATE_READ = ["m.room.member", "m.room.encryption"]
STANDBY_POLL_SECONDS = 2.0
GAP_PAGE = 100
GAP_MAX_EVENTS = 5000


class MatrixChannel:
    def __init__(self, app: App) -> None:
        self._app = app
        self._settings = app.settings
        self._dispatcher = app.dispatcher
        assert self._settings.matrix_user_id
        self._account = self._settings.matrix_user_id
        self._cursor = f"matrix:{self._account}"
        # Set while this process holds the account and is connected; the sender uses it.
        self.connection: MatrixConnection | None = None
        self.serving = asyncio.Event()
        self.standing_by = False  # another process holds the account; this one takes over if it goes
        self._queues: dict[str, asyncio.Queue[Item]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._batches: asyncio.Queue[SyncBatch] = asyncio.Queue()
        self._seen = SeenEvents()
        self._told_undecryptable: set[str] = set()
        self._leaving = Leaving(app, self._account)
        self._invites = Invites(app)
        # The bot's own links (form pages) stay links in its messages; any other address is defanged (links.py).
        self.own_links = str(self._settings.public_url) if self._settings.public_url else None

    # The process's role: stand by, or hold the account and serve it.

    async def run(self, stop: asyncio.Event) -> None:
        """Serve Matrix until ``stop``; in a standby process, wait to take over."""
        leadership = Leadership(self._app.engine, self._cursor, self._settings.database_schema)
        try:
            while not stop.is_set():
                if await leadership.try_acquire():
                    log.warning("matrix: this process now serves %s", self._account)
                    self.standing_by = False
                    await self._serve(stop, leadership)
                    if not stop.is_set():
                        log.warning("matrix: lost the lock on %s; standing by", self._account)
                elif not self.standing_by:
                    log.warning("matrix: another process serves %s; standing by", self._account)
                    self.standing_by = True
                await sleep_unless(stop, STANDBY_POLL_SECONDS)
        finally:
            await leadership.release()

    async def _serve(self, stop: asyncio.Event, leadership: Leadership) -> None:
        """Connect and sync; a homeserver that is down or restarting is waited for with a growing pause."""
        failures = 0
        try:
            while not stop.is_set() and await leadership.still_held():
                try:
                    if self.connection is None:
                        self.connection = await self._connect()
                    failures = 0
                    await self._sync_until_stopped(stop, leadership, self.connection)
                except MatrixSetupError:
                    raise
                except (*NETWORK_ERRORS, SyncFailed, TemporaryFailure) as error:
                    failures += 1
                    pause = backoff_seconds(failures, base=0.5, cap=30.0)
                    log.warning(
                        "matrix: homeserver unavailable (%s); again in %.1fs", type(error).__name__, pause
                    )
                    await sleep_unless(stop, pause)
        finally:
            await self._stop_serving()

    async def _connect(self) -> MatrixConnection:
        """The account's device, shown under the region's chatbot name and picture, its chats saying who runs it."""
        region, texts = load_definitions().region, self._app.texts
        said = {
            key: texts.text(texts.default_language, f"matrix.{key}", zvh=region.name)
            for key in ("topic", "intro")
        }
        introduction = Introduction(said["topic"], content_of(Reply(said["intro"])))
        avatar = data_file(region.avatar)
        return await connect(self._settings, self._keep_direct, region.chatbot_name, introduction, avatar)

    async def _stop_serving(self) -> None:
        self.serving.clear()
        metrics.MATRIX_SERVING.set(0)
        workers = list(self._workers.values())
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        self._workers.clear()
        self._queues.clear()
        self._batches = asyncio.Queue()
        if self.connection is not None:
            connection, self.connection = self.connection, None
            await connection.close()

    # The sync loop.

    async def _sync_until_stopped(
        self, stop: asyncio.Event, leadership: Leadership, connection: MatrixConnection
    ) -> None:
        async with self._app.sessions() as session:
            token = await cursors.get(session, self._cursor)
            direct = await matrix_rooms.direct_rooms(session, self._account)
        connection.know_direct(direct)
        await self._answer_unanswered(connection)
        keeper = asyncio.create_task(self._keep_tokens())
        self.serving.set()
        metrics.MATRIX_SERVING.set(1)
        full_state = not direct  # without the direct chats in the store, one sync brings every room's members
        try:
            while not stop.is_set() and await leadership.still_held():
                response = await self._sync(stop, connection, token, full_state)
                if response is None:
                    return
                await self._chores(connection)
                # Before the messages are handed on: the direct chats are stored before the token can move.
                await connection.after_sync(response.rooms.join, full=token is None or full_state)
                batch = SyncBatch(response.next_batch)
                await self._take_in(connection, response, token, batch)
                token, full_state = response.next_batch, False
                await self._leaving.when_due(connection)  # after the direct chats of a first sync are stored
        finally:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)

    async def _sync(
        self, stop: asyncio.Event, connection: MatrixConnection, token: str | None, full_state: bool
    ) -> SyncResponse | None:
        """One long poll, given up at once when ``stop`` is set. The first sync ever starts at 'now'."""
        incremental = bool(token) and not full_state
        timeout = self._settings.matrix_sync_timeout_ms if incremental else 0
        room_filter = {
            "timeline": {"limit": self._settings.matrix_timeline_limit},
            # Lazy-loaded members make the homeserver's answer for an account in thousands of rooms a third as
            # costly (issue 22). Rooms are loaded in full when first used (connection.room), a room with a gap
            # again, and a full sync (which fills the direct chats) still brings every member.
            "state": {"types": STATE_READ, "lazy_load_members": incremental},
        }
        sync_filter: dict[str, Any] = {"room": room_filter, "presence": {"not_types": ["*"]}}
        request = asyncio.create_task(
            connection.client.sync(timeout, sync_filter, since=token, full_state=full_state or None)
        )
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({request, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not request.done():
            request.cancel()
            await asyncio.gather(request, return_exceptions=True)
            return None
        response = request.result()
        if isinstance(response, SyncError):
            raise SyncFailed(response.status_code or response.message)
        return response

    async def _chores(self, connection: MatrixConnection) -> None:
        """What nio's own sync loop does between syncs: to-device messages and key upload, query and claim."""
        client = connection.client
        await client.send_to_device_messages()
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())

    async def _take_in(
        self, connection: MatrixConnection, response: SyncResponse, since: str | None, batch: SyncBatch
    ) -> None:
        """Invites are answered here; messages go to their room's worker. The very first sync only joins:
        history from before the bot existed is not replayed."""
        for room_id, invite in response.rooms.invite.items():
            await self._invites.answer(connection, room_id, invite)
        if since is not None:
            for room_id, info in response.rooms.join.items():
                for event in await self._timeline(connection, room_id, info, since):
                    if event.sender != connection.user_id and isinstance(
                        event, RoomMessageText | MegolmEvent
                    ):
                        batch.add()
                        self._queue(room_id).put_nowait(Item(room_id, event, batch))
        batch.seal()
        await self._batches.put(batch)

    async def _timeline(
        self, connection: MatrixConnection, room_id: str, info: RoomInfo, since: str
    ) -> list[Event]:
        """The room's new events in order; a limited timeline is completed from /messages."""
        events = list(info.timeline.events)
        if not info.timeline.limited or not info.timeline.prev_batch:
            return events
        earlier: list[Event] = []
        start: str | None = info.timeline.prev_batch
        while start and len(earlier) < GAP_MAX_EVENTS:
            page = await connection.client.room_messages(
                room_id, start=start, end=since, direction=MessageDirection.back, limit=GAP_PAGE
            )
            if isinstance(page, RoomMessagesError):
                raise SyncFailed(f"gap: {page.status_code}")
            earlier.extend(page.chunk)
            if not page.chunk or page.end == start:
                break
            start = page.end
        log.info("matrix: filled a gap of %d events", len(earlier))
        return [*reversed(earlier), *events]

    async def _keep_direct(self, rooms: Mapping[str, str]) -> None:
        async with self._app.sessions() as session, session.begin():
            await matrix_rooms.remember(session, self._account, rooms, self._app.now())

    async def _keep_tokens(self) -> None:
        """Stores each sync's token once all its messages are handled, in sync order."""
        while True:
            batch = await self._batches.get()
            await batch.done.wait()
            try:
                async with self._app.sessions() as session, session.begin():
                    await cursors.put(session, self._cursor, batch.token, self._app.now())
            except Exception as error:  # noqa: BLE001 - a later token will be stored; replays are deduplicated
                log.warning("matrix: could not store the sync token (%s)", type(error).__name__)

    # Handling, one worker per room.

    def _queue(self, room_id: str) -> asyncio.Queue[Item]:
        queue = self._queues.get(room_id)
        if queue is None:
            queue = self._queues[room_id] = asyncio.Queue()
            self._workers[room_id] = asyncio.create_task(self._work(queue))
        return queue

    async def _work(self, queue: asyncio.Queue[Item]) -> None:
        while True:
            item = await queue.get()
            try:
                await self._handle(item, more_waiting=not queue.empty())
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - one bad message must not stop the room
                log.error("matrix: handling an event failed: %s", type(error).__name__)
            finally:
                item.batch.finish_one()

    async def _handle(self, item: Item, more_waiting: bool) -> None:
        connection = self.connection
        assert connection is not None
        event: Event | None = item.event
        if isinstance(event, MegolmEvent):
            event = await self._decrypted(connection, item.room_id, event)
        if not isinstance(event, RoomMessageText) or not self._seen.first_sight(event.event_id):
            return
        room = await persist(lambda: connection.room(item.room_id), "matrix: room not loaded")
        if room is None:
            return
        relation = event.source.get("content", {}).get("m.relates_to") or {}
        incoming = Incoming(
            text=text_of(event.body, "m.in_reply_to" in relation),
            conversation=item.room_id,
            private=connection.private(room, event.sender),
            channel=CHANNEL,
            message_id=event.event_id,
            # Identifying details go through a link to the form page (where a public address is configured).
            forms=LINK,
            # For a newcomer: the name they join with, and their account's mailbox and homeserver.
            display_name=room.user_name(event.sender),
            mailbox=event.sender.removeprefix("@").partition(":")[0],
            home=event.sender.partition(":")[2],
            identified=True,
        )
        replies = await self._dispatcher.handle(Identity(CHANNEL, event.sender), incoming)
        # When more messages are waiting, the answer says which one it answers.
        await self._answer(connection, item.room_id, event.event_id, replies, thread=more_waiting)

    async def _decrypted(
        self, connection: MatrixConnection, room_id: str, event: MegolmEvent
    ) -> Event | None:
        """Ask the sender's devices for the key and wait for it; only then tell the person, once per session."""
        client = connection.client
        try:
            await client.request_room_key(event)
        except LocalProtocolError:
            pass  # already asked
        deadline = time.monotonic() + self._settings.matrix_key_wait_seconds
        while time.monotonic() < deadline:
            await asyncio.sleep(1.0)
            try:
                decrypted = client.decrypt_event(event)
            except EncryptionError:
                continue
            metrics.MATRIX_KEY_WAITS.labels("key_arrived").inc()
            return decrypted
        metrics.MATRIX_KEY_WAITS.labels("undecryptable").inc()
        log.warning("matrix: a message stayed undecryptable (session %s)", event.session_id)
        if event.session_id in self._told_undecryptable or not self._seen.first_sight(event.event_id):
            return None
        self._told_undecryptable.add(event.session_id)
        language = await self._dispatcher.language_of(Identity(CHANNEL, event.sender))
        if language is not None:
            reply = Reply(self._app.texts.text(language, "access.undecryptable"))
            await self._send(
                connection,
                room_id,
                content_of(reply, event.event_id, self.own_links),
                transaction_id(event.event_id, 0),
            )
        return None

    async def _answer(
        self, connection: MatrixConnection, room_id: str, message_id: str, replies: list[Reply], thread: bool
    ) -> None:
        for index, reply in enumerate(replies):
            content = content_of(reply, message_id if thread and index == 0 else None, self.own_links)
            await self._send(connection, room_id, content, transaction_id(message_id, index))
            if reply.chart is not None:
                await self._send_chart(
                    connection, room_id, reply.chart, transaction_id(message_id, index) + "-chart"
                )
        if replies:
            await self._dispatcher.delivered(CHANNEL, message_id)

    async def _answer_unanswered(self, connection: MatrixConnection) -> None:
        """Answers handled before a stop but never sent go out first (same transaction ids: no doubles)."""
        for message_id, room_id, replies in await self._dispatcher.unanswered(CHANNEL):
            await self._answer(connection, room_id, message_id, replies, thread=True)

    async def _send_chart(self, connection: MatrixConnection, room_id: str, chart: Chart, tx_id: str) -> None:
        """The chart as an image after its text; without it when it cannot be drawn or uploaded (the text holds
        the same counts)."""
        png = await png_of(chart)
        if png is None:
            return
        try:
            content = await connection.upload_image(room_id, png, CHART_FILE, chart.alt)
        except SendError as error:
            log.warning("matrix: a chart was not uploaded (%s)", error)
            return
        await self._send(connection, room_id, content, tx_id)

    async def _send(
        self, connection: MatrixConnection, room_id: str, content: dict[str, Any], tx_id: str
    ) -> None:
        await persist(lambda: connection.send(room_id, content, tx_id), "matrix: answer not sent")
