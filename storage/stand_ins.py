"""Waarnemingen: which procesregisseur stands in for which colleague, and until when."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import StandIn


def _active(now: datetime) -> ColumnElement[bool]:
    return and_(StandIn.starts_at <= now, StandIn.ends_at > now)


async def start(
    session: AsyncSession, absent_id: int, stand_in_id: int, now: datetime, until: datetime
) -> StandIn:
    """A new waarneming from now; one still running for the same absent person ends now (there is one at a time)."""
    for running in await current_for_absent(session, [absent_id], now):
        running.ends_at = now
    stand_in = StandIn(absent_id=absent_id, stand_in_id=stand_in_id, starts_at=now, ends_at=until)
    session.add(stand_in)
    await session.flush()
    return stand_in


async def current_for_absent(
    session: AsyncSession, absent_ids: Collection[int], now: datetime
) -> Sequence[StandIn]:
    """The waarnemingen running now for these absent people."""
    query = select(StandIn).where(StandIn.absent_id.in_(absent_ids), _active(now)).order_by(StandIn.id)
    return (await session.scalars(query)).all()


async def covered_by(session: AsyncSession, stand_in_id: int, now: datetime) -> Sequence[StandIn]:
    """The waarnemingen ``stand_in_id`` holds now."""
    query = select(StandIn).where(StandIn.stand_in_id == stand_in_id, _active(now)).order_by(StandIn.id)
    return (await session.scalars(query)).all()


async def by_id(session: AsyncSession, stand_in_id: int) -> StandIn | None:
    return await session.get(StandIn, stand_in_id)
