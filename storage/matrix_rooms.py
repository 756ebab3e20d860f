"""The Matrix account's direct chats, person by person: where to write to someone after a restart without
asking the homeserver for the state of every room the account is in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelAddress, MatrixDirectRoom, Professional

SLICE = 500
MATRIX = "matrix"


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


async def not_needed(
    session: AsyncSession, account: str, strangers_before: datetime, limit: int
) -> dict[str, str]:
    """Up to ``limit`` direct chats the account need no longer be in, room id per person: those of people whose
    account is disabled, and those of Matrix ids that are nobody's address (let in to ask) last seen before
    ``strangers_before``. Every room the account is in makes each of its syncs slower on the homeserver."""
    address = (
        select(ChannelAddress.address, Professional.active)
        .join(Professional, Professional.id == ChannelAddress.professional_id)
        .where(ChannelAddress.channel == MATRIX)
        .subquery()
    )
    query = (
        select(MatrixDirectRoom.person, MatrixDirectRoom.room_id)
        .outerjoin(address, address.c.address == MatrixDirectRoom.person)
        .where(
            MatrixDirectRoom.account == account,
            address.c.active.is_(False)
            | (address.c.address.is_(None) & (MatrixDirectRoom.updated_at < strangers_before)),
        )
        .order_by(MatrixDirectRoom.person)
        .limit(limit)
    )
    return {person: room_id for person, room_id in (await session.execute(query)).all()}


async def forget(session: AsyncSession, account: str, person: str, room_id: str) -> None:
    """The account has left this person's chat: the row goes, unless a newer chat has taken its place."""
    await session.execute(
        delete(MatrixDirectRoom).where(
            MatrixDirectRoom.account == account,
            MatrixDirectRoom.person == person,
            MatrixDirectRoom.room_id == room_id,
        )
    )
