"""What is decided about a betrokkene's data (AVG art. 15-18, the WGS's bewaartermijn), with the reason kept
encrypted beside the audit trail: a search, an inzage, an extended term, a restriction and its lifting, an
erasure. The operator's commands (bot/cli/betrokkene.py) are the only way here; the chat stays for professionals.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.models import Case, CaseState, PendingMessage, PrivacyDecision

# Rows are deleted without being loaded: nothing to look for in the session.
_NOT_LOADED = {"synchronize_session": False}


class Decision(StrEnum):
    SEARCH = "zoek"
    LISTING = "termijnen"
    INZAGE = "inzage"
    CORRECTION = "correctie"
    DISPUTE = "betwisting"
    EXTENSION = "verlenging"
    RESTRICTION = "beperking"
    LIFTED = "opheffing"
    ERASURE = "wissing"


async def decide(
    session: AsyncSession,
    kind: Decision,
    case_number: str | None,
    by: str,
    reason: str,
    now: datetime,
    reference: str | None = None,
    until: datetime | None = None,
    previous: str | None = None,
) -> None:
    session.add(
        PrivacyDecision(
            at=now,
            kind=kind.value,
            case_number=case_number,
            by=by,
            reason=reason,
            reference=reference,
            until=until,
            previous=previous,
        )
    )


async def decisions_about(session: AsyncSession, case_number: str) -> Sequence[PrivacyDecision]:
    query = (
        select(PrivacyDecision).where(PrivacyDecision.case_number == case_number).order_by(PrivacyDecision.id)
    )
    return (await session.scalars(query)).all()


@dataclass(frozen=True)
class Terms:
    """The bewaartermijn per kind of case, in months after the ZVH's work on it ended (config.settings says
    where the figures come from): a case it directed and closed, a referral it answered with advice."""

    closed: int
    advice: int

    def months(self, case: Case) -> int:
        return self.advice if case.state is CaseState.ADVIES else self.closed

    def cutoffs(self, moment: datetime) -> tuple[datetime, datetime]:
        """When a closed case and an advised referral must have ended to be past their term at ``moment``."""
        return moment - relativedelta(months=self.closed), moment - relativedelta(months=self.advice)


def ended_at(case: Case) -> datetime | None:
    """When the ZVH's work on a case ended: it was closed, or the referral was answered with advice (a
    redirection is never closed by anyone, and must not be kept for ever for that); None while it goes on."""
    if case.state is CaseState.AFGESLOTEN:
        return case.closed_at
    return case.updated_at if case.state is CaseState.ADVIES else None


def ended_before(cutoffs: tuple[datetime, datetime]) -> ColumnElement[bool]:
    """The cases whose work ended before their kind's cutoff (``Terms.cutoffs``), as :func:`ended_at` says."""
    closed, advised = cutoffs
    return or_(
        and_(Case.state == CaseState.AFGESLOTEN, Case.closed_at < closed),
        and_(Case.state == CaseState.ADVIES, Case.updated_at < advised),
    )


def purge_moment(case: Case, terms: Terms) -> datetime | None:
    """When the purge takes a case: its term after its work ended, or the end of an extension if that is later;
    None while the case goes on."""
    ended = ended_at(case)
    if ended is None:
        return None
    by_term: datetime = ended + relativedelta(months=terms.months(case))
    return max(by_term, case.retain_until) if case.retain_until is not None else by_term


@dataclass(frozen=True)
class Going:
    number: str
    at: datetime
    extended: bool


async def going_within(session: AsyncSession, now: datetime, days: int, terms: Terms) -> list[Going]:
    """The cases the purge takes in the next ``days``, soonest first."""
    horizon = now + timedelta(days=days)
    candidates = await session.scalars(
        select(Case).where(
            Case.state.in_((CaseState.AFGESLOTEN, CaseState.ADVIES)),
            ended_before(terms.cutoffs(horizon)) | (Case.retain_until < horizon),
        )
    )
    going = []
    for case in candidates:
        moment = purge_moment(case, terms)
        if moment is not None and moment < horizon:
            going.append(Going(case.number, max(moment, now), case.retain_until is not None))
    return sorted(going, key=lambda item: item.at)


async def extended_count(session: AsyncSession) -> int:
    """How many cases are kept past their term (for the figures: how many, never which)."""
    return int(await session.scalar(select(func.count(Case.id)).where(Case.retain_until.is_not(None))) or 0)


async def delete_cases(session: AsyncSession, numbers: Collection[str]) -> None:
    """The cases with everything that hangs off them (transitions, participants, actions, feedback and the
    identifying details go by the foreign keys' cascade) and the messages queued about them."""
    for statement in (
        delete(PendingMessage).where(PendingMessage.case_number.in_(numbers)),
        delete(Case).where(Case.number.in_(numbers)),
    ):
        await session.execute(statement, execution_options=_NOT_LOADED)


# The tables an erased case leaves dead rows in.
_CASE_TABLES = ("cases", "case_subjects", "case_transitions", "case_participants", "actions", "feedback")


async def wipe_free_space(engine: AsyncEngine) -> None:
    """After an erasure, make what the deleted rows held unreadable in the database's files, outside any
    transaction. SQLite (secure_delete is on, so freed cells are zeroed): the write-ahead log, which still holds
    earlier versions of the pages, is copied into the database and emptied. PostgreSQL: the case tables are
    rewritten (VACUUM FULL; an exclusive lock for as long as that takes, seconds at a ZVH's size), so no data file
    keeps the dead rows; its own write-ahead log ages out as the README's erasure section says."""
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        if engine.dialect.name == "sqlite":
            await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            await autocommit.exec_driver_sql(f"VACUUM FULL {', '.join(_CASE_TABLES)}")
