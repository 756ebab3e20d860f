"""Dates in the dialogues as people type them: 'since' looks back from the start of that day, the reminder's own
suggestion is understood at the date question, and English users may type English dates."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from handlers.dates.clock import FixedClock
from storage.models import Action
from tests.conftest import Chat
from tests.test_reminders import plan_one_action
from tests.test_scenario import refer_a_case


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
    number = await plan_one_action(chat, "donderdag 26 november 14:00")
    await chat("agent", "acties", "1", "uitstel")
    assert "begrijp ik niet" in await chat("agent", "ergens binnenkort")
    assert "dinsdag 1 december 2026" in await chat("agent", "uitstel tot volgende week dinsdag")
    assert number


async def test_english_users_type_english_dates(chat: Chat) -> None:
    await plan_one_action(chat, "donderdag 26 november 14:00")
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


def day_and_month(chat: Chat, moment: datetime) -> str:
    """'4 december' for a moment, in the catalogue's own month names (as a person types it, without a year)."""
    months = chat.app.texts.text("nl", "date.months").split(",")
    return f"{moment.day} {months[moment.month - 1]}"


async def test_a_date_that_just_passed_is_asked_about_not_moved_a_year_without_a_word(
    chat: Chat, clock: FixedClock
) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    clock.advance(timedelta(days=14))  # Monday 7 December
    passed = day_and_month(chat, clock.now() - timedelta(days=6))
    asked = await chat("agent", "acties", "1", "uitstel", passed)
    assert f"{passed} 2027" in asked and "dit jaar al geweest, dus dit is volgend jaar" in asked
    assert "Geef de datum dan opnieuw" in await chat("agent", "nee")  # the slip is put right at once
    further_back = day_and_month(chat, clock.now() - timedelta(days=200))  # plainly next year's
    assert "volgend jaar" not in await chat("agent", further_back)


async def test_a_day_off_is_flagged_whatever_words_made_it_even_when_the_day_before_has_gone(
    chat: Chat, clock: FixedClock
) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    clock.advance(timedelta(days=4, hours=9, minutes=15))  # Friday 27 November, 19:30
    flagged = await chat("regisseur", f"plan {number}", "Huisbezoek afleggen", "agent", "morgen")
    assert "zaterdag 28 november 2026, 17:00" in flagged and "Dat is geen werkdag" in flagged
    assert "de werkdag ervoor:" not in flagged  # Friday 17:00 is gone: nothing earlier to offer
    await chat("regisseur", "ja, zo houden", "nee", "geen", "ja")
    async with chat.app.sessions() as session:
        deadline = await session.scalar(select(Action.deadline))
    assert (
        deadline is not None
        and deadline.astimezone(clock.now().tzinfo).strftime("%a %d %H:%M") == "Sat 28 17:00"
    )


async def test_through_a_day_is_read_and_an_earlier_deadline_refused_before_it_is_confirmed(
    chat: Chat,
) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    for phrase in ("uitstel t/m donderdag 10 december", "uitstel tot en met donderdag 10 december"):
        assert "donderdag 10 december 2026" in await chat("agent", "stop", "acties", "1", phrase)
    refused = await chat("agent", "stop", "acties", "1", "uitstel t/m donderdag")  # 26 November: earlier
    assert "Uitstel moet na de huidige deadline liggen" in refused and "Klopt dat" not in refused


async def test_another_date_at_the_confirmation_is_the_correction(chat: Chat, clock: FixedClock) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    first = day_and_month(chat, clock.now() + timedelta(days=15))
    second = day_and_month(chat, clock.now() + timedelta(days=16))
    assert "Klopt dat" in await chat("agent", "acties", "1", "uitstel", first)
    corrected = await chat("agent", f"nee, {second}")
    assert second in corrected and first not in corrected and "Klopt dat" in corrected
    done = await chat("agent", "ja")
    assert second in done
    async with chat.app.sessions() as session:
        deadline = await session.scalar(select(Action.deadline))
    assert (
        deadline is not None
        and deadline.astimezone(clock.now().tzinfo).day == (clock.now() + timedelta(days=16)).day
    )


async def test_the_correction_at_a_confirmation_works_in_a_dialogue_looking_back(
    chat: Chat, clock: FixedClock
) -> None:
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    clock.advance(timedelta(days=9))
    moment = clock.now() - timedelta(days=3)
    earlier = day_and_month(chat, moment)
    assert "Klopt dat" in await chat("regisseur", "status sinds gisteren")
    corrected = await chat("regisseur", earlier)  # no 'nee' needed
    assert f"{earlier} {moment.year}, 00:00" in corrected and "Klopt dat" in corrected
    answer = await chat("regisseur", "ja")
    assert earlier in answer and "sinds" in answer
