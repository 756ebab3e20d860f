"""Abuse: a flood of messages and a run of case numbers one may not see are both answered politely, and stop
working for a while, without anything stored being lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from config.settings import Settings
from handlers.dates.clock import FixedClock
from storage.models import AuditEntry
from tests.conftest import Chat
from tests.test_scenario import refer_a_case

LIMIT = 20  # a referral takes 18 messages


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"rate_messages_per_minute": LIMIT, "rate_lookup_misses_per_hour": 3})


async def test_a_flood_of_messages_is_slowed_down_per_person(chat: Chat, clock: FixedClock) -> None:
    for _ in range(LIMIT):
        assert "veel berichten" not in await chat("agent", "help")
    assert "veel berichten kort na elkaar" in await chat("agent", "help")
    assert "veel berichten" not in await chat("wijkteam", "help")  # others are not affected
    await chat("ggz", "language en")
    for _ in range(LIMIT - 1):
        await chat("ggz", "help")
    assert "many messages in a short time" in await chat("ggz", "help")  # in the person's language
    clock.advance(timedelta(seconds=61))
    assert "veel berichten" not in await chat("agent", "help")


async def test_asking_for_numbers_one_may_not_see_is_limited(chat: Chat, clock: FixedClock) -> None:
    number = await refer_a_case(chat)
    for guess in ("0901", "0902", "0903"):
        assert "Ik kan geen casus" in await chat("wijkteam", f"status VH-2026-{guess}")
    assert "te vaak een casusnummer" in await chat("wijkteam", f"status {number}")
    assert "Ik kan geen casus" in await chat("ggz", "status VH-2026-0904")  # per person
    async with chat.app.sessions() as session:
        events = list(await session.scalars(select(AuditEntry.event).order_by(AuditEntry.id)))
    assert events[-2] == "case.lookup.throttled"

    clock.advance(timedelta(hours=1))
    assert "te vaak" not in await chat("wijkteam", f"status {number}")


async def test_asking_for_the_details_form_of_a_case_one_may_not_fill_counts_as_a_refusal(chat: Chat) -> None:
    """'gegevens' looks a case up like 'status' does: a case the person sees but may not fill in (one they take
    part in but did not refer, their own once it is closed) is refused, audited as such, and counts toward the
    limit."""
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"deelnemers {number}", "iemand toevoegen", "wijkteam", "ja")
    assert number in await chat("wijkteam", f"acties {number}")  # they do see its action list
    for _ in range(3):
        assert "Ik kan geen casus" in await chat("wijkteam", f"gegevens {number}")
    assert "te vaak een casusnummer" in await chat("wijkteam", "status VH-2026-0901")
    await chat("regisseur", f"casus {number}", "afsluiten", "doel bereikt", "ja")
    assert "Ik kan geen casus" in await chat("agent", f"gegevens {number}")
    async with chat.app.sessions() as session:
        events = list(await session.scalars(select(AuditEntry.event).where(AuditEntry.case_number == number)))
    assert events.count("case.subject.ask.refused") == 4 and "case.subject.ask" not in events
