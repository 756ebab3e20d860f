"""A reminder snoozed in place (issue 36, part 4): answered with 'morgen', 'herinner me maandag' or the button,
it comes again then, the deadline unmoved; on both backends, through the terminal and the delivery engine."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from handlers.dates.clock import FixedClock
from storage.models import Action
from tests.conftest import AMSTERDAM, Chat
from tests.test_overleg import People, planned_case

# The agent's action is due Friday 18 December 14:00: 'due soon' goes two working days before, Wednesday 09:00.
DUE_SOON = datetime(2026, 12, 16, 9, 0, tzinfo=AMSTERDAM)


async def deadline(chat: Chat) -> datetime:
    async with chat.app.sessions() as session:
        found = await session.scalar(select(Action.deadline).where(Action.seq == 1))
        assert found is not None
        return found


async def test_a_reminder_answered_with_a_day_comes_again_then_and_the_deadline_stays(
    chat: Chat, clock: FixedClock
) -> None:
    people = People(chat)
    await planned_case(people)
    before = await deadline(chat)
    clock.advance(DUE_SOON - clock.now())
    await people.deliver()
    assert "moet uiterlijk vrijdag 18 december 2026, 14:00 klaar zijn" in people.received("agent")
    confirm = await people.say("agent", "morgen")  # a bare day: remind me then
    assert "donderdag 17 december 2026, 09:00" in confirm
    said = await people.say("agent", "ja")
    assert "ik herinner u donderdag 17 december 2026, 09:00 opnieuw" in said
    assert "De deadline blijft vrijdag 18 december 2026, 14:00" in said
    assert await deadline(chat) == before
    clock.advance(timedelta(days=1))
    await people.deliver()
    assert "Herinnering, zoals u vroeg: actie" in people.received("agent")
    # Snoozed again from there, by the phrase; and 'gedaan' after it stops the rest.
    assert "maandag 21 december 2026" in await people.say("agent", "herinner me maandag")
    await people.say("agent", "ja")
    assert "gedaan" in (await people.say("agent", "acties", "1", "gedaan")).lower()
    clock.advance(timedelta(days=4))
    await people.deliver()
    assert (
        people.received("agent").count("Herinnering, zoals u vroeg") == 1
    )  # done: the snoozed one is not sent


async def test_the_later_button_asks_when_and_a_past_day_is_refused(chat: Chat, clock: FixedClock) -> None:
    people = People(chat)
    await planned_case(people)
    clock.advance(DUE_SOON - clock.now())
    await people.deliver()
    assert "Wanneer wilt u opnieuw herinnerd worden?" in await people.say("agent", "later herinneren")
    assert "in het verleden" in await people.say("agent", "gisteren")
    assert "maandag 21 december 2026, 09:00" in await people.say("agent", "volgende week")  # its Monday
