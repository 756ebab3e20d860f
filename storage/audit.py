"""The audit trail: append-only from the application's side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from prometheus_client import Counter
from sqlalchemy import ScalarSelect, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Professional

# Shown on /metrics with the bot's own figures: how many entries this process wrote (never what they say).
WRITTEN = Counter("vhbot_audit_entries_written", "Audit entries written by this process")
# How the trail names a person someone acted for (a waarneming's absent procesregisseur, an action's holder): by
# id. Names are kept encrypted; the trail is append-only, so a name written in it could be neither re-encrypted
# when keys rotate nor purged with the person. The export shows the name.
PERSON = "professional:"


def for_person(person_id: int) -> str:
    return f"{PERSON}{person_id}"


def person_of(on_behalf_of: str | None) -> int | None:
    """The person an entry names as acted for, if it names one by id."""
    if on_behalf_of is None or not on_behalf_of.startswith(PERSON):
        return None
    number = on_behalf_of.removeprefix(PERSON)
    return int(number) if number.isdigit() else None


async def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor_id: int | None,
    on_behalf_of: str | None,
    event: str,
    case_number: str | None,
    channel: str,
) -> None:
    WRITTEN.inc()
    session.add(
        AuditEntry(
            at=at,
            actor_id=actor_id,
            on_behalf_of=on_behalf_of,
            event=event,
            case_number=case_number,
            channel=channel,
        )
    )


async def record_many(session: AsyncSession, entries: Sequence[dict[str, object]]) -> None:
    """Many entries in one round trip (the delivery engine audits every notice it sends)."""
    if entries:
        await session.execute(insert(AuditEntry), list(entries))
        WRITTEN.inc(len(entries))


async def entries_for_case(session: AsyncSession, case_number: str) -> Sequence[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.case_number == case_number).order_by(AuditEntry.id)
    return (await session.execute(query)).scalars().all()


async def export(
    session: AsyncSession, *, case_number: str | None = None, actor_id: int | None = None
) -> Sequence[tuple[AuditEntry, str | None]]:
    """The entries about one case or by one person, oldest first, with the actor's handle (for the privacy
    officer); both filters use an index."""
    query = select(AuditEntry, Professional.handle).outerjoin(
        Professional, Professional.id == AuditEntry.actor_id
    )
    if case_number is not None:
        query = query.where(AuditEntry.case_number == case_number)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    rows = await session.execute(query.order_by(AuditEntry.at, AuditEntry.id))
    return [(entry, handle) for entry, handle in rows.all()]


async def last_event(
    session: AsyncSession, case_number: str, event: str, since: datetime
) -> AuditEntry | None:
    """The latest entry of one kind about a case after a moment (who took up an escalation, and when)."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.case_number == case_number, AuditEntry.event == event, AuditEntry.at >= since)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return await session.scalar(query)


async def acted_for(
    session: AsyncSession, actor_id: int, on_behalf_of: str, start: datetime, end: datetime
) -> Sequence[AuditEntry]:
    """What one person did on behalf of another in a period, oldest first (a waarneming's account to the absent
    procesregisseur)."""
    query = (
        select(AuditEntry)
        .where(
            AuditEntry.actor_id == actor_id,
            AuditEntry.on_behalf_of == on_behalf_of,
            AuditEntry.at >= start,
            AuditEntry.at <= end,
        )
        .order_by(AuditEntry.id)
    )
    return (await session.execute(query)).scalars().all()


def refusals_since(actor_id: int, since: datetime) -> ScalarSelect[int]:
    """How many lookups by this person found nothing they may see (events ending in '.refused') after that moment,
    as a subquery: a lookup asks it in the statement that finds the case."""
    return (
        select(func.count(AuditEntry.id))
        .where(AuditEntry.actor_id == actor_id, AuditEntry.at > since, AuditEntry.event.endswith(".refused"))
        .scalar_subquery()
    )
