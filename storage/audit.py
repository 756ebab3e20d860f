"""The audit trail: append-only from the application's side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


async def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor_id: int | None,
    on_behalf_of: str | None,
    event: str,
    case_number: str | None,
    channel: str,
) -> None:
    session.add(
        AuditEntry(
            at=at,
            actor_id=actor_id,
            on_behalf_of=on_behalf_of,
            event=event,
            case_number=case_number,
            channel=channel,
        )
    )


async def record_many(session: AsyncSession, entries: Sequence[dict[str, object]]) -> None:
    """Many entries in one round trip (the delivery engine audits every notice it sends)."""
    if entries:
        await session.execute(insert(AuditEntry), list(entries))


async def entries_for_case(session: AsyncSession, case_number: str) -> Sequence[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.case_number == case_number).order_by(AuditEntry.id)
    return (await session.execute(query)).scalars().all()
