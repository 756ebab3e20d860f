"""Retention: what the store no longer needs is deleted, not kept "just in case" (domain.md Part 1).

Closed cases go a configured number of months after closing, with everything that hangs off them (transitions,
participants, actions, feedback, their queued messages); the audit trail keeps its entries about them (case
numbers are plain strings there) for as long as it is configured to. Unfinished dialogues and the records of
handled channel messages are only needed for a short while and go soon after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Base, Case, CaseState, Dialogue, InboundMessage, PendingMessage

# On PostgreSQL the audit trail refuses deletes unless this is set in the transaction (migration 0006).
AUDIT_PURGE_SETTING = "vhbot.audit_purge"


@dataclass(frozen=True)
class Cutoffs:
    """Everything older than these goes."""

    closed_cases: datetime
    dialogues: datetime
    inbound: datetime
    audit: datetime | None

    @classmethod
    def at(
        cls,
        now: datetime,
        *,
        case_months: int,
        dialogue_minutes: int,
        inbound_days: int,
        audit_months: int | None,
    ) -> Cutoffs:
        return cls(
            closed_cases=now - relativedelta(months=case_months),
            dialogues=now - timedelta(minutes=dialogue_minutes),
            inbound=now - timedelta(days=inbound_days),
            audit=None if audit_months is None else now - relativedelta(months=audit_months),
        )


@dataclass
class Purge:
    """What goes (a dry run) or went."""

    cases: list[str] = field(default_factory=list)
    dialogues: int = 0
    inbound_messages: int = 0
    audit_entries: int = 0


async def plan(session: AsyncSession, cutoffs: Cutoffs) -> Purge:
    numbers = await session.scalars(
        select(Case.number)
        .where(Case.state == CaseState.AFGESLOTEN, Case.closed_at < cutoffs.closed_cases)
        .order_by(Case.number)
    )
    return Purge(
        cases=list(numbers),
        dialogues=await _count(session, Dialogue, Dialogue.updated_at < cutoffs.dialogues),
        inbound_messages=await _count(session, InboundMessage, InboundMessage.received_at < cutoffs.inbound),
        audit_entries=0
        if cutoffs.audit is None
        else await _count(session, AuditEntry, AuditEntry.at < cutoffs.audit),
    )


async def purge(session: AsyncSession, cutoffs: Cutoffs) -> Purge:
    """Delete what ``plan`` finds, in the caller's transaction (all of it or, on an error, none)."""
    found = await plan(session, cutoffs)
    statements = [
        delete(Dialogue).where(Dialogue.updated_at < cutoffs.dialogues),
        delete(InboundMessage).where(InboundMessage.received_at < cutoffs.inbound),
    ]
    if found.cases:
        # A case's transitions, participants, actions and feedback go with it (foreign keys cascade).
        statements.append(delete(PendingMessage).where(PendingMessage.case_number.in_(found.cases)))
        statements.append(delete(Case).where(Case.number.in_(found.cases)))
    if cutoffs.audit is not None and found.audit_entries:
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text(f"SET LOCAL {AUDIT_PURGE_SETTING} = 'on'"))
        statements.append(delete(AuditEntry).where(AuditEntry.at < cutoffs.audit))
    for statement in statements:
        await session.execute(statement, execution_options={"synchronize_session": False})
    return found


async def _count(session: AsyncSession, model: type[Base], condition: ColumnElement[bool]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(condition)) or 0)
