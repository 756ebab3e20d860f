"""Retention: closed cases go after the configured period with everything hanging off them, the audit trail
stays (and on PostgreSQL cannot be changed or emptied outside a purge), and a purged case is simply unknown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import ColumnElement, func, select, text, update
from sqlalchemy.exc import DBAPIError

from bot import retention
from handlers.dates.clock import FixedClock
from storage import audit
from storage.models import (
    Action,
    AuditEntry,
    Base,
    Case,
    CaseSubject,
    CaseTransition,
    Dialogue,
    Feedback,
    PendingMessage,
    SubjectForm,
)
from tests.conftest import Chat
from tests.seeding import seed_every_field
from tests.test_scenario import refer_a_case


async def close(chat: Chat, number: str) -> None:
    assert "afgesloten" in await chat("regisseur", f"casus {number}", "afsluiten", "doel bereikt", "ja")


async def count(chat: Chat, model: type[Base], *where: ColumnElement[bool]) -> int:
    async with chat.app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_a_closed_case_goes_after_the_retention_period_and_only_then(
    chat: Chat, clock: FixedClock
) -> None:
    await seed_every_field(
        chat, chat.app
    )  # VH-2026-0001 planned with actions and feedback, VH-2026-0002 redirected
    purged, advised = "VH-2026-0001", "VH-2026-0002"
    await close(chat, purged)
    cases_before = await count(chat, Case)
    async with chat.app.sessions() as session:
        case_id = await session.scalar(select(Case.id).where(Case.number == purged))
    hanging_off = [
        (model, model.case_id == case_id)
        for model in (CaseTransition, Action, Feedback, CaseSubject, SubjectForm)
    ]
    assert all([await count(chat, model, where) for model, where in hanging_off])

    clock.advance(timedelta(days=30 * 23))
    early = await retention.purge(chat.app, dry_run=False, channel="test")
    assert early.cases == [] and early.dialogues == 1  # the unsent update's draft goes once it has expired
    assert await count(chat, Dialogue) == 0
    kept = await refer_a_case(chat)  # a referral still open when the others' term has run
    clock.advance(timedelta(days=62))
    planned = await retention.purge(chat.app, dry_run=True, channel="test")
    assert planned.cases == [purged, advised]  # advice ends the ZVH's work as closing does
    assert await count(chat, Case) == cases_before + 1  # a dry run deletes nothing

    done = await retention.purge(chat.app, dry_run=False, channel="test")
    assert done.cases == [purged, advised]
    async with chat.app.sessions() as session:
        numbers = set(await session.scalars(select(Case.number)))
        trail = [entry.event for entry in await audit.entries_for_case(session, purged)]
    assert numbers == {kept}
    assert [await count(chat, model, where) for model, where in hanging_off] == [0, 0, 0, 0, 0]
    assert await count(chat, PendingMessage, PendingMessage.case_number == purged) == 0
    assert await count(chat, PendingMessage, PendingMessage.case_number == kept) > 0
    assert "case.create" in trail and trail[-1] == "case.purge"  # the trail outlives the case

    unknown = await chat("regisseur", f"status {purged}")
    assert unknown == (await chat("regisseur", "status VH-2026-0999")).replace("0999", "0001")
    assert (await retention.purge(chat.app, dry_run=False, channel="test")).cases == []


@pytest.mark.parametrize("settings", ["postgresql"], indirect=True)  # SQLite: append-only by the application
async def test_postgres_keeps_the_audit_trail_append_only(chat: Chat, clock: FixedClock) -> None:
    await seed_every_field(chat, chat.app)
    for statement in (update(AuditEntry).values(event="x"), text("DELETE FROM audit_entries")):
        with pytest.raises(DBAPIError, match="append-only"):
            async with chat.app.sessions() as session, session.begin():
                await session.execute(statement)
    entries = await count(chat, AuditEntry)
    assert entries > 0

    chat.app.settings.audit_retention_months = 60
    clock.advance(timedelta(days=365 * 5 + 30))
    done = await retention.purge(chat.app, dry_run=False, channel="test")
    # Every old entry goes; what is left is the purge's own entry about the redirected referral it took.
    assert done.audit_entries == entries
    assert (
        await count(chat, AuditEntry) == await count(chat, AuditEntry, AuditEntry.event == "case.purge") == 1
    )
