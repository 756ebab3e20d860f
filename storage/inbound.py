"""Handled channel messages: each takes effect once (a copy delivered again is rolled back), and its answer
survives until the channel has sent it."""

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
_RECORDS = {
    dialect: insert(_TABLE)
    .on_conflict_do_nothing(index_elements=["channel", "message_id"])
    .returning(_TABLE.c.id)
    for dialect, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}
_DELIVERED = (
    update(_TABLE)
    .where(_TABLE.c.channel == bindparam("of_channel"), _TABLE.c.message_id == bindparam("of_message"))
    .values(replies=None)
)


async def record(
    session: AsyncSession,
    channel: str,
    message_id: str,
    conversation: str,
    now: datetime,
    replies: list[dict[str, Any]],
) -> bool:
    """Record the message as handled, with its answer (kept until the channel has sent it), as the last statement
    of its handling: False when it was received before, and then the caller rolls its handling back. Two processes
    receiving the same message: one records it, the other gets False (on PostgreSQL after waiting until the first
    commits). One statement on the hot path: a message is new far more often than it is a redelivery."""
    values = {
        "channel": channel,
        "message_id": message_id,
        "conversation": conversation,
        "received_at": now,
        "replies": replies,
    }
    inserted = (await session.execute(_RECORDS[session.get_bind().dialect.name], values)).scalar()
    return inserted is not None


async def earlier_answer(session: AsyncSession, channel: str, message_id: str) -> list[dict[str, Any]] | None:
    """The answer to a message received before: what is kept of it (nothing once the channel has sent it), or
    None when the message was never received."""
    query = select(_TABLE.c.replies).where(_TABLE.c.channel == channel, _TABLE.c.message_id == message_id)
    found = (await session.execute(query)).first()
    return None if found is None else list(found.replies or [])


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
