"""Actions of a plan van aanpak and who holds them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Action, ActionStatus, Case
from storage.people import Person


async def add(
    session: AsyncSession,
    *,
    case: Case,
    description: str,
    holder_id: int | None,
    holder_organisation_id: int,
    deadline: datetime,
    created_by_id: int,
    now: datetime,
) -> Action:
    """Actions are numbered per case (1, 2, …) so a reminder can say 'VH-2026-0042 actie 2'."""
    last = (await session.execute(select(func.max(Action.seq)).where(Action.case_id == case.id))).scalar()
    action = Action(
        case_id=case.id,
        seq=(last or 0) + 1,
        description=description,
        holder_id=holder_id,
        holder_organisation_id=holder_organisation_id,
        deadline=deadline,
        status=ActionStatus.OPEN,
        created_by_id=created_by_id,
        created_at=now,
    )
    session.add(action)
    await session.flush()
    return action


async def open_for_holder(session: AsyncSession, person: Person) -> Sequence[tuple[Action, str]]:
    """Open actions held by the person, or by their organisation when no person was named.

    Two separately indexed lookups rather than one OR: SQLite would scan every open action for the OR.
    """
    base = (
        select(Action, Case.number)
        .join(Case, Case.id == Action.case_id)
        .where(Action.status == ActionStatus.OPEN, Case.restricted_at.is_(None))
    )
    own = base.where(Action.holder_id == person.id)
    of_organisation = base.where(
        Action.holder_organisation_id == person.organisation_id, Action.holder_id.is_(None)
    )
    rows = [*(await session.execute(own)).all(), *(await session.execute(of_organisation)).all()]
    return sorted(((action, number) for action, number in rows), key=lambda row: row[0].deadline)


def is_held_by(action: Action, person: Person) -> bool:
    return action.holder_id == person.id or (
        action.holder_id is None and action.holder_organisation_id == person.organisation_id
    )


async def for_case(session: AsyncSession, case_id: int) -> Sequence[Action]:
    query = select(Action).where(Action.case_id == case_id).order_by(Action.seq)
    return (await session.execute(query)).scalars().all()


async def by_id(session: AsyncSession, action_id: int) -> Action | None:
    return await session.get(Action, action_id)


async def overdue_for_director(
    session: AsyncSession, director_ids: Collection[int], now: datetime
) -> Sequence[tuple[Action, str]]:
    query = (
        select(Action, Case.number)
        .join(Case, Case.id == Action.case_id)
        .where(
            Case.procesregisseur_id.in_(director_ids),
            Case.restricted_at.is_(None),
            Action.status == ActionStatus.OPEN,
            Action.deadline < now,
        )
        .order_by(Action.deadline)
    )
    return [(action, number) for action, number in (await session.execute(query)).all()]


async def count_overdue(session: AsyncSession, now: datetime) -> int:
    query = select(func.count(Action.id)).where(Action.status == ActionStatus.OPEN, Action.deadline < now)
    return int((await session.execute(query)).scalar_one())


def complete(action: Action, now: datetime) -> None:
    action.status = ActionStatus.DONE
    action.completed_at = now


def cancel(action: Action, now: datetime) -> None:
    """No longer to be done; it stays on the case's list, marked as cancelled."""
    action.status = ActionStatus.CANCELLED
    action.completed_at = now


async def sequence_numbers(session: AsyncSession, action_ids: set[int]) -> dict[int, int]:
    """Per-case action numbers for a set of actions, in one query."""
    if not action_ids:
        return {}
    query = select(Action.id, Action.seq).where(Action.id.in_(action_ids))
    return {action_id: seq for action_id, seq in (await session.execute(query)).all()}


async def by_ids(session: AsyncSession, ids: Collection[int]) -> dict[int, Action]:
    if not ids:
        return {}
    found = await session.scalars(select(Action).where(Action.id.in_(ids)))
    return {action.id: action for action in found}
