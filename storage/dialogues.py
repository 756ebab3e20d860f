"""Dialogue state per person and conversation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dialogue


async def load(session: AsyncSession, person_id: int, conversation: str) -> Dialogue | None:
    query = select(Dialogue).where(
        Dialogue.professional_id == person_id, Dialogue.conversation == conversation
    )
    return (await session.execute(query)).scalar_one_or_none()


async def save(
    session: AsyncSession,
    existing: Dialogue | None,
    *,
    person_id: int,
    conversation: str,
    kind: str,
    step: str,
    data: dict[str, Any],
    now: datetime,
) -> None:
    if existing is None:
        session.add(
            Dialogue(
                professional_id=person_id,
                conversation=conversation,
                kind=kind,
                step=step,
                data=data,
                updated_at=now,
            )
        )
        return
    existing.kind, existing.step, existing.data, existing.updated_at = kind, step, dict(data), now
