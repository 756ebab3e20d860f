"""Handled channel messages: each is handled once, and its answer survives until the channel has sent it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboundMessage

# The hot path (every message) writes through the table, not the ORM entity, with statements built once and
# given their values at execution: the records are never loaded as objects while they are written, and building
# a statement (and its cache key) each time cost more than running it.
_TABLE = cast(Table, InboundMessage.__table__)
_CLAIMS = {
    dialect: insert(_TABLE)
    .on_conflict_do_nothing(index_elements=["channel", "message_id"])
    .returning(_TABLE.c.id)
    for dialect, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}
_KEEP = update(_TABLE).where(_TABLE.c.id == bindparam("record_id"))
_DELIVERED = (
    update(_TABLE)
    .where(_TABLE.c.channel == bindparam("of_channel"), _TABLE.c.message_id == bindparam("of_message"))
    .values(replies=None)
)


async def claim(
    session: AsyncSession, channel: str, message_id: str, conversation: str, now: datetime
) -> int | None:
    """The new record's id, or None when the message was received before. Two processes receiving the same
    message: one wins the insert, the other gets None (on PostgreSQL after waiting until the winner commits).
    One statement on the hot path: a message is new far more often than it is a redelivery."""
    values = {"channel": channel, "message_id": message_id, "conversation": conversation, "received_at": now}
    record_id: int | None = (await session.execute(_CLAIMS[session.get_bind().dialect.name], values)).scalar()
    return record_id


async def kept_replies(session: AsyncSession, channel: str, message_id: str) -> list[dict[str, Any]] | None:
    """The answer kept for a message received before, if it has not been sent yet."""
    query = select(InboundMessage.replies).where(
        InboundMessage.channel == channel, InboundMessage.message_id == message_id
    )
    kept: list[dict[str, Any]] | None = (await session.execute(query)).scalar_one()
    return kept


async def keep(session: AsyncSession, record_id: int, replies: list[dict[str, Any]]) -> None:
    """Keep the answer with the record until the channel has sent it."""
    await session.execute(_KEEP, {"record_id": record_id, "replies": replies})


async def delivered(session: AsyncSession, channel: str, message_id: str) -> None:
    """The answer is out: forget its text."""
    await session.execute(_DELIVERED, {"of_channel": channel, "of_message": message_id})


async def unanswered(session: AsyncSession, channel: str) -> Sequence[InboundMessage]:
    """Messages handled but whose answer was not sent (the process stopped in between), oldest first."""
    query = (
        select(InboundMessage)
        .where(InboundMessage.channel == channel, InboundMessage.replies.is_not(None))
        .order_by(InboundMessage.id)
    )
    return (await session.scalars(query)).all()
