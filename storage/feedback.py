"""Terugkoppeling: updates on a case, read by its procesregisseur."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Case, Feedback


async def add(
    session: AsyncSession,
    *,
    case_id: int,
    action_id: int | None,
    author_id: int,
    body: str,
    concern: bool,
    now: datetime,
    to_melder: bool = False,
) -> Feedback:
    item = Feedback(
        case_id=case_id,
        action_id=action_id,
        author_id=author_id,
        body=body,
        concern=concern,
        to_melder=to_melder,
        created_at=now,
        read_at=now if to_melder else None,
    )
    session.add(item)
    await session.flush()
    return item


async def for_case(session: AsyncSession, case_id: int, limit: int | None = 20) -> Sequence[Feedback]:
    """The case's updates, newest first; the latest ``limit`` (None: all of them, for an inzage)."""
    query = (
        select(Feedback)
        .where(Feedback.case_id == case_id)
        .order_by(Feedback.created_at.desc(), Feedback.id.desc())
    )
    return (await session.execute(query.limit(limit))).scalars().all()


async def latest_question(session: AsyncSession, case_id: int) -> Feedback | None:
    query = (
        select(Feedback)
        .where(Feedback.case_id == case_id, Feedback.to_melder.is_(True))
        .order_by(Feedback.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def unread_counts(session: AsyncSession, case_ids: Collection[int]) -> dict[int, int]:
    """Unread updates per case, for a whole list in one query (a case without any is left out)."""
    if not case_ids:
        return {}
    query = (
        select(Feedback.case_id, func.count(Feedback.id))
        .where(Feedback.case_id.in_(list(case_ids)), Feedback.read_at.is_(None))
        .group_by(Feedback.case_id)
    )
    return {case_id: int(count) for case_id, count in (await session.execute(query)).all()}


async def mark_read(session: AsyncSession, case_id: int, now: datetime) -> int:
    result = await session.execute(
        update(Feedback).where(Feedback.case_id == case_id, Feedback.read_at.is_(None)).values(read_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def since_for_director(
    session: AsyncSession, director_ids: Collection[int], since: datetime, limit: int = 50
) -> Sequence[tuple[Feedback, str]]:
    query = (
        select(Feedback, Case.number)
        .join(Case, Case.id == Feedback.case_id)
        .where(
            Case.procesregisseur_id.in_(director_ids),
            Case.restricted_at.is_(None),
            Feedback.created_at >= since,
        )
        .order_by(Feedback.created_at.desc())
        .limit(limit)
    )
    return [(item, number) for item, number in (await session.execute(query)).all()]
