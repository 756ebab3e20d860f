"""The outbox: messages the bot sends on its own initiative, written in the transaction that causes them,
claimed by delivery processes under a lease, and marked with what became of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelAddress, OutboxStatus, PendingMessage, Professional

PENDING = OutboxStatus.PENDING

# A row's parameters name people by id only (the row is not encrypted, and names are): the notice's text gets the
# name, looked up when it is sent, under the key on the right. A row written before this rule holds the name.
PERSON = "person"
STAND_IN_FOR = "stand_in_for"
NAMED = {PERSON: "name", STAND_IN_FOR: STAND_IN_FOR, "recipient": "recipient"}


def _row(
    *,
    recipient_id: int,
    kind: str,
    params: dict[str, Any],
    case_number: str | None,
    scheduled_at: datetime,
    now: datetime,
    urgent: bool,
    action_id: int | None,
    idempotency_key: str | None,
) -> dict[str, Any]:
    return {
        "recipient_id": recipient_id,
        "kind": kind,
        "params": params,
        "case_number": case_number,
        "action_id": action_id,
        "urgent": urgent,
        "scheduled_at": scheduled_at,
        "due_at": scheduled_at,
        "created_at": now,
        "status": PENDING,
        "idempotency_key": idempotency_key or uuid.uuid4().hex,
        "attempts": 0,
        "failed_channels": [],
    }


async def enqueue(
    session: AsyncSession,
    *,
    recipient_id: int,
    kind: str,
    params: dict[str, Any],
    case_number: str | None,
    scheduled_at: datetime,
    now: datetime,
    urgent: bool = False,
    action_id: int | None = None,
) -> PendingMessage:
    """A new row with a random idempotency key (the key a channel uses to drop a repeated delivery)."""
    message = PendingMessage(
        **_row(
            recipient_id=recipient_id,
            kind=kind,
            params=params,
            case_number=case_number,
            scheduled_at=scheduled_at,
            now=now,
            urgent=urgent,
            action_id=action_id,
            idempotency_key=None,
        )
    )
    session.add(message)
    return message


async def enqueue_to_each(
    session: AsyncSession, recipients: Sequence[int], kind: str, params: dict[str, Any], now: datetime
) -> None:
    """One row, due now and about no case, for each of these people."""
    for recipient in recipients:
        await enqueue(
            session,
            recipient_id=recipient,
            kind=kind,
            params=params,
            case_number=None,
            scheduled_at=now,
            now=now,
        )


async def enqueue_once(
    session: AsyncSession,
    key: str,
    *,
    recipient_id: int,
    kind: str,
    scheduled_at: datetime,
    now: datetime,
    params: dict[str, Any] | None = None,
    case_number: str | None = None,
    action_id: int | None = None,
) -> None:
    """A row identified by ``key``, unless one exists already: several processes may plan the same one, and a
    question planned again (an overleg announced twice) is not asked twice."""
    values = _row(
        recipient_id=recipient_id,
        kind=kind,
        params=params or {},
        case_number=case_number,
        scheduled_at=scheduled_at,
        now=now,
        urgent=False,
        action_id=action_id,
        idempotency_key=key,
    )
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(PendingMessage).values(values).on_conflict_do_nothing(index_elements=["idempotency_key"])
    )


async def existing_keys(session: AsyncSession, keys: Collection[str]) -> set[str]:
    query = select(PendingMessage.idempotency_key).where(PendingMessage.idempotency_key.in_(keys))
    return set((await session.scalars(query)).all())


async def cancel(
    session: AsyncSession,
    kinds: Collection[str] | None,
    *,
    action_id: int | None = None,
    case_number: str | None = None,
) -> None:
    """Pending rows of these kinds (None: of every kind) about one action or one case will not be sent."""
    conditions = [PendingMessage.status == PENDING]
    if kinds is not None:
        conditions.append(PendingMessage.kind.in_(kinds))
    if action_id is not None:
        conditions.append(PendingMessage.action_id == action_id)
    if case_number is not None:
        conditions.append(PendingMessage.case_number == case_number)
    await session.execute(
        update(PendingMessage).where(*conditions).values(status=OutboxStatus.CANCELLED),
        execution_options={"synchronize_session": False},
    )


def _due(
    now: datetime,
    urgent_only: bool,
    recipients: Collection[int] | None,
    away: Collection[str] = (),
    gathered_only: bool = False,
) -> ColumnElement[bool]:
    condition = and_(PendingMessage.status == PENDING, PendingMessage.due_at <= now)
    if gathered_only:
        condition = and_(condition, PendingMessage.gathered_for.is_not(None))
    if urgent_only:
        condition = and_(condition, PendingMessage.urgent.is_(True))
    if recipients is not None:
        condition = and_(condition, PendingMessage.recipient_id.in_(recipients))
    if away:
        reached_there = select(ChannelAddress.id).where(
            ChannelAddress.professional_id == PendingMessage.recipient_id, ChannelAddress.channel.in_(away)
        )
        condition = and_(condition, ~reached_there.exists())
    return condition


async def claim(
    session: AsyncSession,
    *,
    now: datetime,
    lease_until: datetime,
    owner: str,
    limit: int,
    urgent_only: bool = False,
    recipients: Collection[int] | None = None,
    away: Collection[str] = (),
    gathered_only: bool = False,
) -> Sequence[PendingMessage]:
    """Take up to ``limit`` due rows for this process until ``lease_until``; none for people with an address on a
    channel in ``away`` (one this process cannot send on just now: another process takes those); with
    ``gathered_only``, only rows set aside for a digest (the rest of a digest a first claim began).

    ``SKIP LOCKED`` lets several processes claim side by side on PostgreSQL without waiting for or taking each
    other's rows; SQLite (one process) ignores it. A claimed row stays pending with its ``due_at`` moved to the
    end of the lease, so if this process dies the row is simply due again when the lease runs out.
    """
    chosen = (
        select(PendingMessage.id)
        .where(_due(now, urgent_only, recipients, away, gathered_only))
        .order_by(PendingMessage.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(PendingMessage)
        .where(PendingMessage.id.in_(chosen.scalar_subquery()))
        .values(due_at=lease_until, lease_owner=owner, attempts=PendingMessage.attempts + 1)
        .returning(PendingMessage)
    )
    result = await session.scalars(statement, execution_options={"synchronize_session": False})
    return result.all()


async def release_set_aside(
    session: AsyncSession, recipient_id: int, kinds: Collection[str], now: datetime
) -> None:
    """The rows of these kinds held back for someone (for their digest, or while they were away) are due again now,
    to be looked at afresh: they changed when or whether they want them."""
    await session.execute(
        update(PendingMessage)
        .where(
            PendingMessage.recipient_id == recipient_id,
            PendingMessage.status == PENDING,
            PendingMessage.kind.in_(kinds),
            PendingMessage.lease_owner.is_(None),
            PendingMessage.scheduled_at <= now,
            PendingMessage.due_at > now,
        )
        .values(due_at=now, gathered_for=None),
        execution_options={"synchronize_session": False},
    )


async def next_due(session: AsyncSession) -> datetime | None:
    """When the earliest pending row falls due (an index lookup), to know how long to sleep."""
    query = (
        select(PendingMessage.due_at)
        .where(PendingMessage.status == PENDING)
        .order_by(PendingMessage.due_at)
        .limit(1)
    )
    return (await session.execute(query)).scalar()


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed row: sent, tried again later, or given up."""

    id: int
    status: OutboxStatus
    due_at: datetime | None = None
    channel: str | None = None
    failed_channels: tuple[str, ...] = ()
    error: str | None = None
    # Not tried at all (another process serves the channel): the claim's attempt is given back.
    refund: bool = False
    # Set aside until this moment (the recipient's digest, or their first day back; then also its ``due_at``).
    gathered_for: datetime | None = None


async def record_outcomes(session: AsyncSession, outcomes: Sequence[Outcome], now: datetime) -> None:
    """What became of a batch, in few statements: one per channel for the sent rows (the usual case), and one
    executemany for the rows that go round again or are given up."""
    sent: dict[tuple[str | None, tuple[str, ...]], list[int]] = {}
    others: list[dict[str, Any]] = []
    for outcome in outcomes:
        if outcome.status is OutboxStatus.SENT:
            sent.setdefault((outcome.channel, outcome.failed_channels), []).append(outcome.id)
            continue
        row: dict[str, Any] = {
            "id": outcome.id,
            "status": outcome.status,
            "channel": outcome.channel,
            "last_error": outcome.error,
            "failed_channels": list(outcome.failed_channels),
            "lease_owner": None,
            "due_at": outcome.due_at or now,
        }
        others.append(row)
    for (channel, failed), ids in sent.items():
        await session.execute(
            update(PendingMessage)
            .where(PendingMessage.id.in_(ids))
            .values(
                status=OutboxStatus.SENT,
                sent_at=now,
                channel=channel,
                failed_channels=list(failed),
                last_error=None,
                lease_owner=None,
            ),
            execution_options={"synchronize_session": False},
        )
    if others:
        await session.execute(update(PendingMessage), others)
    gathered = [{"id": o.id, "gathered_for": o.gathered_for} for o in outcomes if o.gathered_for is not None]
    if gathered:
        await session.execute(update(PendingMessage), gathered)
    refunded = [outcome.id for outcome in outcomes if outcome.refund]
    if refunded:
        await session.execute(
            update(PendingMessage)
            .where(PendingMessage.id.in_(refunded))
            .values(attempts=PendingMessage.attempts - 1),
            execution_options={"synchronize_session": False},
        )


async def listing(
    session: AsyncSession,
    statuses: Collection[OutboxStatus],
    limit: int,
    *,
    due_before: datetime | None = None,
) -> Sequence[tuple[PendingMessage, str]]:
    """Rows with the recipient's handle, for an operator; oldest moment first."""
    condition: ColumnElement[bool] = PendingMessage.status.in_(statuses)
    if due_before is not None:
        condition = and_(condition, PendingMessage.scheduled_at < due_before)
    query = (
        select(PendingMessage, Professional.handle)
        .join(Professional, Professional.id == PendingMessage.recipient_id)
        .where(condition)
        .order_by(PendingMessage.scheduled_at)
        .limit(limit)
    )
    return [(message, handle) for message, handle in (await session.execute(query)).all()]


async def count_by_status(session: AsyncSession) -> dict[OutboxStatus, int]:
    query = select(PendingMessage.status, func.count()).group_by(PendingMessage.status)
    return {status: count for status, count in (await session.execute(query)).all()}


async def oldest_due(session: AsyncSession, now: datetime) -> datetime | None:
    """When the longest-waiting message that is due now fell due: how far delivery is behind."""
    query = select(func.min(PendingMessage.due_at)).where(
        PendingMessage.status == OutboxStatus.PENDING, PendingMessage.due_at <= now
    )
    return await session.scalar(query)


async def count_failed(session: AsyncSession, case_numbers: Collection[str]) -> int:
    """Messages about these cases that could not be delivered on any channel."""
    if not case_numbers:
        return 0
    query = select(func.count()).where(
        PendingMessage.status == OutboxStatus.FAILED,
        PendingMessage.case_number.in_(case_numbers),
    )
    return int((await session.execute(query)).scalar_one())
