"""Teams conversation references: the address book of proactive messages on Teams."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TeamsConversation


async def remember(
    session: AsyncSession, user_id: str, tenant_id: str, reference: dict[str, Any], now: datetime
) -> None:
    """The latest personal-chat reference of a user; a user who writes again is reachable again."""
    row = await session.get(TeamsConversation, user_id)
    if row is None:
        session.add(
            TeamsConversation(
                user_id=user_id, tenant_id=tenant_id, reference=reference, reachable=True, updated_at=now
            )
        )
        return
    row.tenant_id, row.reference, row.reachable, row.updated_at = tenant_id, reference, True, now


async def reference_of(session: AsyncSession, user_id: str) -> TeamsConversation | None:
    return await session.get(TeamsConversation, user_id)


async def mark_unreachable(session: AsyncSession, user_id: str, now: datetime) -> None:
    await session.execute(
        update(TeamsConversation)
        .where(TeamsConversation.user_id == user_id)
        .values(reachable=False, updated_at=now)
    )


async def tenants(session: AsyncSession) -> dict[str, str]:
    """Tenant per user, for the delivery engine's per-tenant rate limits."""
    rows = await session.execute(select(TeamsConversation.user_id, TeamsConversation.tenant_id))
    return {user_id: tenant_id for user_id, tenant_id in rows.all()}
