"""The counts behind the network's figures (kengetallen): read in a few grouped queries, never a case's content.

Every query returns counts or moments per group (a month, a gemeente, a kind of organisation, a state, a reason);
nothing here reads an encrypted column, a case number or a person. What may be shown of the counts (small ones
hidden) is the handlers' decision (``handlers.figures``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Action,
    ActionStatus,
    Case,
    CaseState,
    CaseTransition,
    Feedback,
    Organisation,
    Professional,
)

# The first decision on a referral: taken on (and perhaps planned at once), or redirected with advice.
DECISIONS = (CaseState.GEACCEPTEERD, CaseState.ADVIES)


@dataclass(frozen=True)
class Referral:
    """One referral of the period, as the figures count it."""

    created_at: datetime
    gemeente: str
    melder_kind: str  # the type of the melder's organisation ('politie', 'wijkteam', …)
    decision: CaseState | None
    decided_at: datetime | None
    closed_at: datetime | None


async def referrals(session: AsyncSession, start: datetime, end: datetime) -> list[Referral]:
    """The referrals made in [start, end), with the first decision on each."""
    decided = (
        select(
            CaseTransition.case_id,
            func.min(CaseTransition.at).label("at"),
        )
        .where(CaseTransition.to_state.in_(DECISIONS))
        .group_by(CaseTransition.case_id)
        .subquery()
    )
    first_decision = (
        select(CaseTransition.to_state)
        .where(CaseTransition.case_id == Case.id, CaseTransition.to_state.in_(DECISIONS))
        .order_by(CaseTransition.at, CaseTransition.id)
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(
            Case.created_at, Case.gemeente, Organisation.type, first_decision, decided.c.at, Case.closed_at
        )
        .select_from(Case)
        .join(Professional, Professional.id == Case.melder_id)
        .join(Organisation, Organisation.id == Professional.organisation_id)
        .outerjoin(decided, decided.c.case_id == Case.id)
        .where(Case.created_at >= start, Case.created_at < end)
        .order_by(Case.created_at)
    )
    return [Referral(*row) for row in (await session.execute(query)).all()]


async def moves(session: AsyncSession, start: datetime, end: datetime) -> Counter[tuple[CaseState, str]]:
    """How often cases were redirected with advice (reason: to whom), escalated (to whom), de-escalated and
    closed (why) in [start, end)."""
    states = (CaseState.ADVIES, CaseState.OPGESCHAALD, CaseState.AFGESCHAALD, CaseState.AFGESLOTEN)
    query = (
        select(CaseTransition.to_state, CaseTransition.reason, func.count())
        .where(CaseTransition.to_state.in_(states), CaseTransition.at >= start, CaseTransition.at < end)
        .group_by(CaseTransition.to_state, CaseTransition.reason)
    )
    return Counter(
        {(state, reason or ""): count for state, reason, count in (await session.execute(query)).all()}
    )


async def actions(session: AsyncSession, now: datetime) -> tuple[Counter[ActionStatus], Counter[str]]:
    """All actions by status, and the open ones past their deadline by the holding organisation's type."""
    by_status = select(Action.status, func.count()).group_by(Action.status)
    overdue = (
        select(Organisation.type, func.count())
        .select_from(Action)
        .join(Organisation, Organisation.id == Action.holder_organisation_id)
        .where(Action.status == ActionStatus.OPEN, Action.deadline < now)
        .group_by(Organisation.type)
    )
    statuses = Counter({status: count for status, count in (await session.execute(by_status)).all()})
    late = Counter({kind: count for kind, count in (await session.execute(overdue)).all()})
    return statuses, late


async def concerns(session: AsyncSession, start: datetime, end: datetime) -> int:
    """Updates marked as a zorgsignaal in [start, end)."""
    query = select(func.count()).where(
        Feedback.concern.is_(True), Feedback.created_at >= start, Feedback.created_at < end
    )
    return int(await session.scalar(query.select_from(Feedback)) or 0)
