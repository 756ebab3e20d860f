"""Cases: numbering, lookups, state transitions and participants."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ScalarSelect, delete, exists, func, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from storage.models import (
    Case,
    CaseCounter,
    CaseParticipant,
    CaseState,
    CaseTransition,
)
from storage.people import Person

OPEN_INTAKE = (CaseState.INGEDIEND, CaseState.SCREENING)


async def next_case_number(session: AsyncSession, prefix: str, year: int) -> str:
    """The next number of the year, safe when several processes register at once.

    The UPDATE takes a row lock on PostgreSQL (and the write lock on SQLite), so two referrals can
    never share a number; the first referral of a year creates the counter row.
    """
    for _ in range(3):
        bumped = await session.execute(
            update(CaseCounter)
            .where(CaseCounter.year == year)
            .values(last=CaseCounter.last + 1)
            .returning(CaseCounter.last)
        )
        value = bumped.scalar_one_or_none()
        if value is not None:
            return f"{prefix}-{year}-{value:04d}"
        try:
            async with session.begin_nested():
                session.add(CaseCounter(year=year, last=1))
            return f"{prefix}-{year}-0001"
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a case number")


async def by_number(session: AsyncSession, number: str) -> Case | None:
    return (await session.execute(select(Case).where(Case.number == number.upper()))).scalar_one_or_none()


@dataclass(frozen=True)
class CaseKey:
    """What deciding access to a case needs, and nothing that must be decrypted."""

    id: int
    state: CaseState
    melder_id: int
    procesregisseur_id: int | None
    restricted_at: datetime | None = None


# A restricted case (AVG art. 18) is in no one's list: only the operator reaches it (storage.privacy).
UNRESTRICTED = Case.restricted_at.is_(None)

# Stands in for a number that does not exist, so that deciding access to it does the same work as to a case of
# someone else's (the same queries; id 0 is no case, person or director): the answer's timing tells nothing.
NO_CASE = CaseKey(id=0, state=CaseState.INGEDIEND, melder_id=0, procesregisseur_id=0)


async def key_of(session: AsyncSession, number: str, count: ScalarSelect[int]) -> tuple[CaseKey | None, int]:
    """The key of the case with this number (None if there is none), and ``count`` asked in the same statement:
    every lookup also counts the person's recent refusals, and one round trip per lookup is enough."""
    one_row = select(literal(1).label("one")).subquery()
    query = select(
        count, Case.id, Case.state, Case.melder_id, Case.procesregisseur_id, Case.restricted_at
    ).select_from(one_row.outerjoin(Case, Case.number == number.upper()))
    counted, case_id, state, melder_id, procesregisseur_id, restricted_at = (
        await session.execute(query)
    ).one()
    key = None if case_id is None else CaseKey(case_id, state, melder_id, procesregisseur_id, restricted_at)
    return key, int(counted or 0)


async def record_transition(
    session: AsyncSession,
    case: Case,
    to_state: CaseState,
    actor_id: int,
    now: datetime,
    note: str | None = None,
    reason: str | None = None,
) -> None:
    """Move the case and keep the move: who, when, from where, and why (``reason``, a configured key)."""
    session.add(
        CaseTransition(
            case_id=case.id,
            from_state=case.state,
            to_state=to_state,
            actor_id=actor_id,
            at=now,
            note=note,
            reason=reason,
        )
    )
    case.state = to_state
    case.updated_at = now
    if to_state is CaseState.AFGESLOTEN:
        case.closed_at = now


async def record_creation(session: AsyncSession, case: Case, actor_id: int, now: datetime) -> None:
    """The first entry of a case's history: from nothing to its initial state."""
    session.add(
        CaseTransition(case_id=case.id, from_state=None, to_state=case.state, actor_id=actor_id, at=now)
    )


async def transitions(session: AsyncSession, case_id: int) -> Sequence[CaseTransition]:
    query = select(CaseTransition).where(CaseTransition.case_id == case_id).order_by(CaseTransition.id)
    return (await session.execute(query)).scalars().all()


async def intake_queue(session: AsyncSession, limit: int = 50) -> Sequence[Case]:
    query = (
        select(Case)
        .where(Case.state.in_(OPEN_INTAKE), Case.procesregisseur_id.is_(None), UNRESTRICTED)
        .order_by(Case.created_at)
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def directed_by(session: AsyncSession, person_ids: Collection[int], limit: int = 100) -> Sequence[Case]:
    query = (
        select(Case)
        .where(Case.procesregisseur_id.in_(person_ids), Case.state != CaseState.AFGESLOTEN, UNRESTRICTED)
        .order_by(Case.updated_at.desc())
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def referred_by(session: AsyncSession, person_id: int, limit: int = 20) -> Sequence[Case]:
    query = (
        select(Case)
        .where(Case.melder_id == person_id, UNRESTRICTED)
        .order_by(Case.created_at.desc())
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


def _participant_clause(person: Person) -> ColumnElement[bool]:
    return or_(
        CaseParticipant.professional_id == person.id,
        CaseParticipant.organisation_id == person.organisation_id,
    )


async def participates(session: AsyncSession, person: Person, case_id: int) -> bool:
    """A deelnemer in person, or through an organisation that holds an action on the case."""
    query = select(exists().where(CaseParticipant.case_id == case_id, _participant_clause(person)))
    return bool((await session.execute(query)).scalar())


async def cases_involving(session: AsyncSession, person: Person, limit: int = 30) -> Sequence[Case]:
    """Open cases a person may post feedback on: as melder, procesregisseur or deelnemer."""
    as_participant = select(CaseParticipant.case_id).where(_participant_clause(person))
    query = (
        select(Case)
        .where(
            Case.state != CaseState.AFGESLOTEN,
            UNRESTRICTED,
            or_(
                Case.melder_id == person.id, Case.procesregisseur_id == person.id, Case.id.in_(as_participant)
            ),
        )
        .order_by(Case.updated_at.desc())
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def add_participant(
    session: AsyncSession,
    case_id: int,
    *,
    professional_id: int | None = None,
    organisation_id: int | None = None,
) -> None:
    # NULLs are distinct in the unique constraint, so the existence check does the deduplication.
    query = select(
        exists().where(
            CaseParticipant.case_id == case_id,
            CaseParticipant.professional_id.is_not_distinct_from(professional_id),
            CaseParticipant.organisation_id.is_not_distinct_from(organisation_id),
        )
    )
    if not (await session.execute(query)).scalar():
        session.add(
            CaseParticipant(case_id=case_id, professional_id=professional_id, organisation_id=organisation_id)
        )
        await session.flush()


async def remove_participant(session: AsyncSession, participant_id: int) -> None:
    await session.execute(delete(CaseParticipant).where(CaseParticipant.id == participant_id))


async def participants(session: AsyncSession, case_id: int) -> Sequence[CaseParticipant]:
    query = select(CaseParticipant).where(CaseParticipant.case_id == case_id).order_by(CaseParticipant.id)
    return (await session.execute(query)).scalars().all()


async def count_by_state(session: AsyncSession) -> dict[CaseState, int]:
    rows = await session.execute(select(Case.state, func.count(Case.id)).group_by(Case.state))
    return {state: int(count) for state, count in rows.all()}


async def last_move_into(session: AsyncSession, case_id: int, state: CaseState) -> CaseTransition | None:
    """The latest time the case moved into ``state``: who moved it, when, and the note and reason given."""
    query = (
        select(CaseTransition)
        .where(CaseTransition.case_id == case_id, CaseTransition.to_state == state)
        .order_by(CaseTransition.id.desc())
        .limit(1)
    )
    return await session.scalar(query)


async def screened_by(session: AsyncSession, case_id: int) -> int | None:
    """The procesregisseur who opened the referral for screening (the last move into SCREENING), if any."""
    moved = await last_move_into(session, case_id, CaseState.SCREENING)
    return None if moved is None else moved.actor_id


async def in_state(session: AsyncSession, state: CaseState, limit: int = 30) -> Sequence[Case]:
    """The cases in one state, the most recently changed first."""
    query = (
        select(Case).where(Case.state == state, UNRESTRICTED).order_by(Case.updated_at.desc()).limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def by_id(session: AsyncSession, case_id: int) -> Case | None:
    return await session.get(Case, case_id)


async def by_numbers(session: AsyncSession, numbers: Collection[str]) -> dict[str, Case]:
    if not numbers:
        return {}
    found = await session.scalars(select(Case).where(Case.number.in_(numbers)))
    return {case.number: case for case in found}
