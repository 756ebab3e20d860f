"""Named read positions of channels (a Matrix sync token), shared by every process on the store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelCursor


async def get(session: AsyncSession, name: str) -> str | None:
    cursor = await session.get(ChannelCursor, name)
    return cursor.value if cursor else None


async def put(session: AsyncSession, name: str, value: str, now: datetime) -> None:
    cursor = await session.get(ChannelCursor, name)
    if cursor is None:
        session.add(ChannelCursor(name=name, value=value, updated_at=now))
    else:
        cursor.value, cursor.updated_at = value, now
