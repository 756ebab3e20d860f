"""Retention: what the store no longer needs is deleted, not kept "just in case" (domain.md Part 1).

Closed cases go a configured number of months after closing (and referrals answered with advice, which nobody
closes, that long after the advice), with everything that hangs off them (transitions,
participants, actions, feedback, their queued messages); the audit trail keeps its entries about them (case
numbers are plain strings there) for as long as it is configured to. Unfinished dialogues, unanswered offers to
ask to join, the records of handled channel messages and the Matrix chats of people who never got an account are
only needed for a short while and go soon after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, delete, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    AuditEntry,
    Base,
    Case,
    ChannelAddress,
    Dialogue,
    InboundMessage,
    JoinRequest,
    JoinStatus,
    MatrixDirectRoom,
    SubjectForm,
)
from storage.privacy import Terms, delete_cases, ended_before

# On PostgreSQL the audit trail refuses deletes unless this is set in the transaction (migration 0006).
AUDIT_PURGE_SETTING = "vhbot.audit_purge"
# Rows are deleted without being loaded: nothing to look for in the session.
_NOT_LOADED = {"synchronize_session": False}


@dataclass(frozen=True)
class Cutoffs:
    """Everything older than these goes."""

    now: datetime
    closed_cases: datetime
    advised_cases: datetime
    dialogues: datetime
    inbound: datetime
    audit: datetime | None

    @classmethod
    def at(
        cls,
        now: datetime,
        *,
        terms: Terms,
        dialogue_minutes: int,
        inbound_days: int,
        audit_months: int | None,
    ) -> Cutoffs:
        closed, advised = terms.cutoffs(now)
        return cls(
            now=now,
            closed_cases=closed,
            advised_cases=advised,
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
    subject_forms: int = 0
    join_offers: int = 0
    strangers_chats: int = 0
    audit_entries: int = 0


def _expired(cutoffs: Cutoffs) -> dict[str, tuple[type[Base], ColumnElement[bool]]]:
    """Rows that go by age alone, per field of Purge."""
    expired: dict[str, tuple[type[Base], ColumnElement[bool]]] = {
        "dialogues": (Dialogue, Dialogue.updated_at < cutoffs.dialogues),
        "inbound_messages": (InboundMessage, InboundMessage.received_at < cutoffs.inbound),
        # Kept a while after expiring so that a late click is told "expired" or "used", not "invalid".
        "subject_forms": (SubjectForm, SubjectForm.expires_at < cutoffs.inbound),
        # An offer to ask to join that was never answered holds a name, like an unfinished dialogue.
        "join_offers": (
            JoinRequest,
            (JoinRequest.status == JoinStatus.ASKING) & (JoinRequest.created_at < cutoffs.dialogues),
        ),
        # Which room the bot shares with a Matrix account that is no professional's (anyone it let in to ask).
        "strangers_chats": (
            MatrixDirectRoom,
            MatrixDirectRoom.person.not_in(
                select(ChannelAddress.address).where(ChannelAddress.channel == "matrix")
            )
            & (MatrixDirectRoom.updated_at < cutoffs.dialogues),
        ),
    }
    return expired


async def _closed_cases(session: AsyncSession, cutoffs: Cutoffs) -> list[str]:
    query = select(Case.number).where(
        ended_before((cutoffs.closed_cases, cutoffs.advised_cases)),
        # A term extended by a decision (storage.privacy) is honoured to its last day.
        or_(Case.retain_until.is_(None), Case.retain_until < cutoffs.now),
    )
    return list(await session.scalars(query.order_by(Case.number)))


async def plan(session: AsyncSession, cutoffs: Cutoffs) -> Purge:
    """What ``purge`` and ``purge_audit`` would delete now."""
    expired = _expired(cutoffs)
    if cutoffs.audit is not None:
        expired["audit_entries"] = (AuditEntry, AuditEntry.at < cutoffs.audit)
    counts = {
        name: int(await session.scalar(select(func.count()).select_from(model).where(condition)) or 0)
        for name, (model, condition) in expired.items()
    }
    return Purge(cases=await _closed_cases(session, cutoffs), **counts)


async def purge(session: AsyncSession, cutoffs: Cutoffs) -> Purge:
    """Delete it, in the caller's transaction (all of it or, on an error, none); the audit trail apart, in
    ``purge_audit``, so that a database that refuses the one (its grants, as recommended) keeps the other."""
    done = Purge(cases=await _closed_cases(session, cutoffs))
    if done.cases:
        await delete_cases(session, done.cases)
    for name, (model, condition) in _expired(cutoffs).items():
        result = await session.execute(delete(model).where(condition), execution_options=_NOT_LOADED)
        setattr(done, name, result.rowcount)  # type: ignore[attr-defined]
    return done


async def purge_audit(session: AsyncSession, before: datetime) -> int:
    """Delete audit entries older than ``before``, in the caller's transaction; how many went. On PostgreSQL the
    append-only trigger lets them go only inside a transaction that says so."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text(f"SET LOCAL {AUDIT_PURGE_SETTING} = 'on'"))
    result = await session.execute(
        delete(AuditEntry).where(AuditEntry.at < before), execution_options=_NOT_LOADED
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
