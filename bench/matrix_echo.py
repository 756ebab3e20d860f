"""The transport's floor for bench.matrix: a bare matrix-nio bot that joins every invite and echoes every text,
with encryption, and nothing else. Run as ``python -m bench.matrix_echo HOMESERVER USER PASSWORD STORE``."""

from __future__ import annotations

import asyncio
import sys

from nio import AsyncClient, AsyncClientConfig, InviteMemberEvent, MatrixRoom, RoomMessageText


async def main(homeserver: str, user: str, password: str, store: str) -> None:
    client = AsyncClient(
        homeserver, user, store_path=store, config=AsyncClientConfig(encryption_enabled=True)
    )
    await client.login(password, device_name="echo")

    async def on_invite(room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == user and event.membership == "invite":
            await client.join(room.room_id)

    async def on_text(room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender != user:
            content = {"msgtype": "m.notice", "body": event.body}
            await client.room_send(room.room_id, "m.room.message", content, ignore_unverified_devices=True)

    client.add_event_callback(on_invite, InviteMemberEvent)
    await client.sync(timeout=0, full_state=True)  # start from now: no history
    client.add_event_callback(on_text, RoomMessageText)
    print("echo ready", flush=True)
    await client.sync_forever(timeout=30000)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
