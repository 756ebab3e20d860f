"""Incremental syncs lazy-load members, so a room whose timeline came with a gap may have had people come or go
unseen: the connection forgets that it knew the room in full, and loads it again before it is next used (whether
it is private, whose devices get keys). No homeserver is needed to see the rule applied."""

from __future__ import annotations

from collections.abc import Mapping

from nio import AsyncClient, MatrixRoom
from nio.responses import RoomInfo, Timeline
from prometheus_client import REGISTRY

from bot.channels.matrix.connection import Introduction, MatrixConnection
from config.settings import Settings

BOT = "@bot:example.org"


async def keep_nothing(rooms: Mapping[str, str]) -> None:
    """A full sync here finds no direct chat to keep (the rooms have no members)."""


def info(limited: bool) -> RoomInfo:
    return RoomInfo(Timeline([], limited, "prev" if limited else None), [], [], [])


async def test_a_room_whose_sync_had_a_gap_is_loaded_again_when_next_used() -> None:
    client = AsyncClient("http://127.0.0.1:9", BOT)
    connection = MatrixConnection(client, Settings(), keep_nothing, Introduction("", {}))
    for room_id in ("!quiet", "!busy"):
        client.rooms[room_id] = MatrixRoom(room_id, BOT)
        client.rooms[room_id].members_synced = True
    await connection.after_sync({"!quiet": info(False), "!busy": info(False)}, full=True)
    assert REGISTRY.get_sample_value("vhbot_matrix_rooms_loaded") == 2

    await connection.after_sync({"!quiet": info(False), "!busy": info(True)}, full=False)
    assert REGISTRY.get_sample_value("vhbot_matrix_rooms_loaded") == 1
    assert client.rooms["!quiet"].members_synced and not client.rooms["!busy"].members_synced
    await client.close()
