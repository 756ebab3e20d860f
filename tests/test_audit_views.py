"""Every view that shows case content names each case it showed in the audit trail, so the trail of one case
('vhbot audit --case') tells everyone who saw any of it, through lists as much as through 'status VH-…'."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from handlers.dates.clock import FixedClock
from storage import audit
from storage.models import AuditEntry, Professional
from tests.conftest import Chat
from tests.test_reminders import plan_one_action


async def seen_by(chat: Chat, number: str) -> set[tuple[str, str]]:
    async with chat.app.sessions() as session:
        entries = await audit.entries_for_case(session, number)
        handles = {
            row.id: row.handle for row in await session.execute(select(Professional.id, Professional.handle))
        }
    return {(handles.get(entry.actor_id or 0, "?"), entry.event) for entry in entries}


async def test_lists_audit_every_case_they_show(chat: Chat, clock: FixedClock) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    await chat("agent", f"terugkoppeling {number}", "geen specifieke actie", "Huisbezoek is gepland", "nee")
    clock.advance(timedelta(days=14))  # the action is overdue
    await chat("agent", "acties")
    await chat("agent", "stop", "status")
    await chat("regisseur", "status mijn")
    await chat("regisseur", "status achterstallig")
    await chat("regisseur", "status sinds 20 november 2026", "ja")
    assert {
        ("agent", "actions.list_own"),
        ("agent", "status.own_referrals"),
        ("regisseur", "status.mine"),
        ("regisseur", "status.overdue"),
        ("regisseur", "status.since"),
    } <= await seen_by(chat, number)


async def test_a_list_that_shows_no_case_is_audited_once_without_one(chat: Chat) -> None:
    await chat("regisseur", "status mijn")
    async with chat.app.sessions() as session:
        rows = (
            await session.execute(select(AuditEntry.case_number).where(AuditEntry.event == "status.mine"))
        ).all()
    assert rows == [(None,)]
