"""Dates in the dialogues as people type them: 'since' looks back from the start of that day, the reminder's own
suggestion is understood at the date question, and English users may type English dates."""

from __future__ import annotations

from datetime import timedelta

from handlers.dates.clock import FixedClock
from tests.conftest import Chat
from tests.test_reminders import plan_one_action


async def test_since_yesterday_starts_at_the_beginning_of_yesterday(chat: Chat, clock: FixedClock) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    clock.advance(timedelta(days=1, hours=-2))  # Tuesday 08:15: the update below is from Monday morning 10:15
    await chat("agent", f"terugkoppeling {number}", "geen specifieke actie", "Huisbezoek is gepland", "nee")
    clock.advance(timedelta(days=1))  # Wednesday: 'gisteren' is Tuesday, 'maandag' the Monday just gone
    confirm = await chat("regisseur", "status sinds maandag")
    assert "maandag 23 november 2026, 00:00" in confirm
    assert "(1)" in await chat("regisseur", "ja")
    assert "20 november 2026" in await chat("regisseur", "status sinds 20 november")  # not next year's
    assert "Die dag moet nog komen" in await chat("regisseur", "stop", "status sinds morgen")


async def test_the_reminders_own_suggestion_is_understood_at_the_date_question(chat: Chat) -> None:
    number = await plan_one_action(chat, "vrijdag 4 december 14:00")
    await chat("agent", "acties", "1", "uitstel")
    assert "begrijp ik niet" in await chat("agent", "ergens binnenkort")
    assert "dinsdag 1 december 2026" in await chat("agent", "uitstel tot volgende week dinsdag")
    assert number


async def test_english_users_type_english_dates(chat: Chat) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    await chat("agent", "language en")
    assert "Tuesday 1 December 2026" in await chat("agent", "actions", "1", "postpone", "next week Tuesday")
    assert "read day first" in await chat("agent", "no", "12/15/2026")  # month first: refused, not guessed
    assert "Friday 15 January 2027" in await chat("agent", "Jan 15")


async def test_a_deadline_on_a_day_off_is_kept_if_meant_or_moved_to_the_working_day_before(
    chat: Chat,
) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    offered = await chat("agent", "acties", "1", "uitstel", "1 januari 2027")  # Nieuwjaarsdag
    assert "Dat is geen werkdag" in offered
    assert "de werkdag ervoor: donderdag 31 december 2026, 17:00" in offered
    moved = await chat("agent", "de werkdag ervoor")
    assert "donderdag 31 december 2026, 17:00" in moved and "schuiven mee" in moved
    kept = await chat("agent", "acties", "1", "uitstel", "zaterdag 9 januari 2027", "ja, zo houden")
    assert "zaterdag 9 januari 2027" in kept
    assert "geen werkdag" not in await chat(
        "agent", "stop", "acties", "1", "uitstel", "maandag 11 januari 2027"
    )
