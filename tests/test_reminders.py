"""The reminder policy as it is planned from the conversations: defaults, holidays, quiet hours, replanning and
cancelling, on SQLite and PostgreSQL with a settable clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.app import App
from handlers.dates.clock import FixedClock
from storage.models import OutboxStatus, PendingMessage, Professional
from tests.conftest import AMSTERDAM, Chat
from tests.test_scenario import refer_a_case

Planned = tuple[str, str, str]


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> str:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM).strftime("%a %d %b %Y %H:%M")


async def planned(app: App, *kinds: str, status: OutboxStatus = OutboxStatus.PENDING) -> list[Planned]:
    """(kind, recipient handle, local moment) of outbox rows, sorted."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(PendingMessage.kind, Professional.handle, PendingMessage.scheduled_at)
            .join(Professional, Professional.id == PendingMessage.recipient_id)
            .where(PendingMessage.kind.in_(kinds), PendingMessage.status == status)
        )
        return sorted(
            (kind, handle, moment.astimezone(AMSTERDAM).strftime("%a %d %b %Y %H:%M"))
            for kind, handle, moment in rows.all()
        )


REMINDERS = (
    "action_due_soon",
    "action_due_today",
    "action_overdue",
    "action_overdue_director",
    "meeting_reminder",
)


async def plan_one_action(chat: Chat, deadline: str, meeting: str = "15 december 10:00") -> str:
    """A referral accepted by 'regisseur', with one action for 'agent' and the next overleg."""
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"plan {number}", "Huisbezoek afleggen", "agent", deadline, "ja", "nee")
    confirmations = ["ja"] if meeting == "geen" else ["ja", "ja"]
    recorded = await chat("regisseur", meeting, *confirmations)
    assert "vastgelegd (1 actie)" in recorded
    return number


async def test_an_action_and_an_overleg_plan_every_default_reminder(chat: Chat) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    assert await planned(chat.app, *REMINDERS) == sorted(
        [
            ("action_due_soon", "agent", at(12, 2)),  # two working days before, 09:00
            ("action_due_today", "agent", at(12, 4)),
            ("action_overdue", "agent", at(12, 7)),  # the next working day after Friday
            ("action_overdue_director", "regisseur", at(12, 7)),
            ("meeting_reminder", "agent", at(12, 14)),  # the working day before the overleg
            ("meeting_reminder", "regisseur", at(12, 14)),
        ]
    )


async def test_reminders_skip_christmas_and_the_weekend(chat: Chat) -> None:
    await plan_one_action(chat, "28 december 12:00", meeting="geen")
    assert await planned(chat.app, *REMINDERS) == sorted(
        [
            ("action_due_soon", "agent", at(12, 23)),  # Thu 24th is one working day before, Wed 23rd two
            ("action_due_today", "agent", at(12, 28)),
            ("action_overdue", "agent", at(12, 29)),
            ("action_overdue_director", "regisseur", at(12, 29)),
        ]
    )


async def test_a_deadline_too_close_plans_only_what_is_still_ahead(chat: Chat) -> None:
    await plan_one_action(chat, "morgen 9:00", meeting="geen")  # Tuesday 09:00: no reminder before it fits
    assert await planned(chat.app, *REMINDERS) == [
        ("action_overdue", "agent", at(11, 25)),
        ("action_overdue_director", "regisseur", at(11, 25)),
    ]


async def test_done_cancels_and_postponing_replans(chat: Chat) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    confirm = await chat("agent", "acties", "1", "uitstel tot vrijdag 11 december")
    assert "vrijdag 11 december 2026, 17:00" in confirm
    assert "schuiven mee" in await chat("agent", "ja")
    assert await planned(chat.app, "action_due_soon", "action_due_today", "action_overdue") == [
        ("action_due_soon", "agent", at(12, 9)),
        ("action_due_today", "agent", at(12, 11)),
        ("action_overdue", "agent", at(12, 14)),
    ]
    assert len(await planned(chat.app, "action_due_soon", status=OutboxStatus.CANCELLED)) == 1
    assert await planned(chat.app, "action_postponed") == [
        ("action_postponed", "regisseur", at(11, 23, 10, 15))
    ]

    assert "staat op gedaan" in await chat("agent", "acties", "1", "gedaan")
    assert await planned(chat.app, "action_due_soon", "action_due_today", "action_overdue") == []
    assert await planned(chat.app, "meeting_reminder") != []  # the overleg still happens

    await chat("regisseur", f"casus {number}", "afsluiten", "doel bereikt", "ja")
    assert await planned(chat.app, *REMINDERS) == []


async def test_a_postponement_asks_again_when_the_date_makes_no_sense(chat: Chat) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    assert "bestaat niet" in await chat("agent", "acties", "1", "uitstel tot 31 februari")
    assert "vrijdag 11 december" in await chat("agent", "11 december")


async def test_messages_caused_in_the_evening_wait_for_the_morning(chat: Chat, clock: FixedClock) -> None:
    clock.advance(timedelta(days=4, hours=10, minutes=15))  # Friday 20:30
    await refer_a_case(chat)
    assert await planned(chat.app, "new_referral") == [
        ("new_referral", "regisseur", at(11, 30, 8, 0)),
        ("new_referral", "regisseur2", at(11, 30, 8, 0)),
    ]
    clock.advance(timedelta(hours=15, minutes=30))  # Saturday noon: a zorgsignaal is urgent
    await chat("agent", "terugkoppeling VH-2026-0001", "Het escaleert thuis", "ja")
    assert await planned(chat.app, "zorgsignaal") == [
        ("zorgsignaal", "regisseur", at(11, 28, 12, 0)),
        ("zorgsignaal", "regisseur2", at(11, 28, 12, 0)),
    ]
