"""The Matrix account's direct chats, person by person: where to write to someone after a restart without
asking the homeserver for the state of every room the account is in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MatrixDirectRoom

SLICE = 500


async def direct_rooms(session: AsyncSession, account: str) -> dict[str, str]:
    """Room id per person, for this bot account."""
    rows = await session.execute(
        select(MatrixDirectRoom.person, MatrixDirectRoom.room_id).where(MatrixDirectRoom.account == account)
    )
    return {person: room_id for person, room_id in rows.all()}


async def remember(session: AsyncSession, account: str, rooms: Mapping[str, str], now: datetime) -> None:
    """Keeps each person's latest direct room (only the one process that holds the account writes here). A first
    sync brings thousands at once: they are looked up in slices the database's parameter limits allow."""
    people = list(rooms)
    for start in range(0, len(people), SLICE):
        rows = await session.execute(
            select(MatrixDirectRoom).where(
                MatrixDirectRoom.account == account,
                MatrixDirectRoom.person.in_(people[start : start + SLICE]),
            )
        )
        known = {row.person: row for row in rows.scalars()}
        for person in people[start : start + SLICE]:
            row = known.get(person)
            if row is None:
                session.add(
                    MatrixDirectRoom(account=account, person=person, room_id=rooms[person], updated_at=now)
                )
            elif row.room_id != rooms[person]:
                row.room_id, row.updated_at = rooms[person], now
