"""Messages the bot will send on its own initiative, written in the transaction that causes them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxStatus, PendingMessage


async def enqueue(
    session: AsyncSession,
    *,
    recipient_id: int,
    kind: str,
    params: dict[str, Any],
    case_number: str | None,
    due_at: datetime,
    now: datetime,
    urgent: bool = False,
) -> PendingMessage:
    message = PendingMessage(
        recipient_id=recipient_id,
        kind=kind,
        params=params,
        case_number=case_number,
        urgent=urgent,
        due_at=due_at,
        created_at=now,
        status=OutboxStatus.PENDING,
        idempotency_key=uuid.uuid4().hex,
    )
    session.add(message)
    return message


async def pending_for(session: AsyncSession, recipient_id: int) -> Sequence[PendingMessage]:
    query = select(PendingMessage).where(
        PendingMessage.recipient_id == recipient_id, PendingMessage.status == OutboxStatus.PENDING
    )
    return (await session.execute(query.order_by(PendingMessage.id))).scalars().all()
