"""Messages the bot will send on its own initiative, written in the transaction that causes them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

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
