"""Handled channel messages: each is handled once, and its answer survives until the channel has sent it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboundMessage


async def receive(
    session: AsyncSession, channel: str, message_id: str, conversation: str, now: datetime
) -> tuple[InboundMessage, bool]:
    """The record of this message and whether it is new. Two processes receiving the same message: one wins
    the insert, the other finds the record (and, on PostgreSQL, waits until the winner commits)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(InboundMessage)
        .values(channel=channel, message_id=message_id, conversation=conversation, received_at=now)
        .on_conflict_do_nothing(index_elements=["channel", "message_id"])
        .returning(InboundMessage.id)
    )
    inserted = (await session.execute(statement)).scalar()
    query = select(InboundMessage).where(
        InboundMessage.channel == channel, InboundMessage.message_id == message_id
    )
    record = (await session.execute(query)).scalar_one()
    return record, inserted is not None


async def delivered(session: AsyncSession, channel: str, message_id: str) -> None:
    """The answer is out: forget its text."""
    await session.execute(
        update(InboundMessage)
        .where(InboundMessage.channel == channel, InboundMessage.message_id == message_id)
        .values(replies=None)
    )


async def unanswered(session: AsyncSession, channel: str) -> Sequence[InboundMessage]:
    """Messages handled but whose answer was not sent (the process stopped in between), oldest first."""
    query = (
        select(InboundMessage)
        .where(InboundMessage.channel == channel, InboundMessage.replies.is_not(None))
        .order_by(InboundMessage.id)
    )
    return (await session.scalars(query)).all()
