"""The accounts worth a second look: unused for months, or reported gone by Teams; and what a disabled person
still holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Action, ActionStatus, Case, ChannelAddress, Professional, TeamsConversation


async def unused_since(session: AsyncSession, before: datetime) -> Sequence[Professional]:
    """Active people who have not written since ``before`` (or, never having written, were added before it)."""
    last = func.coalesce(Professional.last_seen_at, Professional.created_at)
    query = select(Professional).where(Professional.active.is_(True), last < before)
    return (await session.execute(query.order_by(Professional.handle))).scalars().all()


async def gone_from_teams(session: AsyncSession) -> Sequence[Professional]:
    """Active people whom Teams reports unreachable (the app removed or blocked, the account gone: a 403 or 404)
    and who have no Matrix id to be reached by instead."""
    on_matrix = select(ChannelAddress.professional_id).where(ChannelAddress.channel == "matrix")
    query = (
        select(Professional)
        .join(ChannelAddress, ChannelAddress.professional_id == Professional.id)
        .join(TeamsConversation, TeamsConversation.user_id == ChannelAddress.address)
        .where(
            Professional.active.is_(True),
            ChannelAddress.channel == "teams",
            TeamsConversation.reachable.is_(False),
            Professional.id.not_in(on_matrix),
        )
    )
    return (await session.execute(query.order_by(Professional.handle))).scalars().all()


async def open_actions_held(session: AsyncSession, person_id: int) -> Sequence[tuple[Action, Case]]:
    query = (
        select(Action, Case)
        .join(Case, Case.id == Action.case_id)
        .where(Action.holder_id == person_id, Action.status == ActionStatus.OPEN)
        .order_by(Case.number, Action.seq)
    )
    return [(action, case) for action, case in (await session.execute(query)).all()]
