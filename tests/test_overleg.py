"""The casusoverleg prepares itself (issue 36, part 3), on both backends, through the terminal channel and the real
delivery engine: two working days before the overleg each holder of an open action is asked how it stands and
answers in place; on the day the procesregisseur gets the agenda, and `agenda` shows it in full. Nothing is asked
twice, nothing about an overleg that moved, nothing to anyone who may not see the case."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.channels.terminal import TerminalChannel, TerminalSender
from bot.delivery import DeliveryEngine
from handlers.dates.clock import FixedClock
from handlers.overleg import AGENDA, PREPARE, PREPARE_PARTICIPANT
from storage.models import OutboxStatus, PendingMessage
from tests.conftest import AMSTERDAM, Chat
from tests.test_scenario import refer_a_case

# The clock stands on Monday 23 November 2026: the overleg on Tuesday 15 December, so the questions go out on
# Friday 11 December 09:00 (two working days before) and the agenda on the day at 08:00.
MEETING = "15 december 10:00"
ASKED = datetime(2026, 12, 11, 9, 0, tzinfo=AMSTERDAM)
AGENDA_AT = datetime(2026, 12, 15, 8, 0, tzinfo=AMSTERDAM)


class People:
    """A terminal per professional, and the notices each has received, as printed there."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.channels: dict[str, TerminalChannel] = {}
        self.printed: dict[str, io.StringIO] = {}

    def channel(self, handle: str) -> TerminalChannel:
        if handle not in self.channels:
            self.channels[handle] = TerminalChannel(self.chat.app.dispatcher, handle)
            self.printed[handle] = io.StringIO()
        return self.channels[handle]

    async def say(self, handle: str, *messages: str) -> str:
        replies: list[str] = []
        for message in messages:
            replies = await self.channel(handle).send(message)
        return "\n".join(replies)

    async def deliver(self) -> None:
        for handle in ("agent", "reclassering", "regisseur"):
            self.channel(handle)
        senders = [TerminalSender(self.channels[h], self.printed[h]) for h in list(self.channels)]
        engine = DeliveryEngine(self.chat.app, senders)
        while await engine.deliver_due():
            pass

    def received(self, handle: str) -> str:
        return self.printed[handle].getvalue()


async def planned_case(people: People) -> str:
    number = await refer_a_case(people.chat)
    await people.say("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    recorded = await people.say(
        "regisseur", f"plan {number}",
        "Huisbezoek afleggen", "agent", "vrijdag 18 december 14:00", "ja", "ja",
        "Toezicht bespreken", "reclassering", "vrijdag 18 december 16:00", "ja", "nee",
        MEETING, "ja", "ja",
    )  # fmt: skip
    assert "vastgelegd (2 acties)" in recorded, recorded
    return number


async def rows(people: People, kind: str, status: OutboxStatus | None = None) -> int:
    async with people.chat.app.sessions() as session:
        query = select(func.count(PendingMessage.id)).where(PendingMessage.kind == kind)
        if status is not None:
            query = query.where(PendingMessage.status == status)
        return int(await session.scalar(query) or 0)


async def test_the_holders_are_asked_answer_in_place_and_the_agenda_says_who_did_not(
    chat: Chat, clock: FixedClock
) -> None:
    people = People(chat)
    number = await planned_case(people)
    for handle in ("agent", "reclassering", "regisseur"):
        people.channel(handle)
    clock.advance(ASKED - clock.now() - timedelta(minutes=1))
    await people.deliver()
    assert "casusoverleg over casus" not in people.received("agent")  # not yet
    clock.advance(timedelta(minutes=1))
    await people.deliver()
    asked = people.received("agent")
    assert f"Het casusoverleg over casus {number} is op dinsdag 15 december 2026, 10:00" in asked
    assert "Hoe staat actie #1 ervoor" in asked and "Huisbezoek afleggen" in asked
    assert "Hoe staat actie #2 ervoor" in people.received("reclassering")
    assert "Toezicht" not in asked  # each holder reads about their own action only

    # The agent answers in place: an update, written where the question arrived.
    said = await people.say("agent", "update geven")
    assert "Typ uw terugkoppeling" in said
    await people.say("agent", "Huisbezoek afgesproken voor maandag", "nee")

    view = await people.say("regisseur", "agenda 15 december")
    assert f"{number} — " in view and "2 open" in view
    assert "1 update sinds de vraag om een update" in view
    assert "Huisbezoek afgesproken voor maandag" in view  # on demand, in full
    assert (
        "nog geen antwoord van: Rik Reclassering (Reclassering Nederland) #2" in view
        and "Anna Agent (" not in view.split("antwoord")[-1]
    )
    assert "geen casusoverleg" in await people.say("regisseur2", "agenda 15 december")  # not theirs

    clock.advance(AGENDA_AT - clock.now())
    await people.deliver()
    agenda = people.received("regisseur")
    assert "Agenda voor het casusoverleg van dinsdag 15 december 2026:" in agenda
    assert (
        "1 update sinds de vraag om een update" in agenda
        and "nog geen antwoord van: Rik Reclassering" in agenda
    )
    assert "Huisbezoek afgesproken" not in agenda  # a notice carries counts and names, not what was written
    assert await rows(people, PREPARE, OutboxStatus.SENT) == 2
    assert await rows(people, AGENDA, OutboxStatus.SENT) == 1

    # A new date is an answer too (the question has gone stale by now: the reclassering opens its action).
    assert "maandag 21 december 2026" in await people.say(
        "reclassering", "acties", "1", "uitstel tot 21 december"
    )
    await people.say("reclassering", "ja")
    assert "nog geen antwoord" not in await people.say("regisseur", "agenda")  # today, the 15th


async def test_nothing_is_asked_twice_nor_about_an_overleg_that_moved(chat: Chat, clock: FixedClock) -> None:
    people = People(chat)
    number = await planned_case(people)
    # Planned again for the same moment: the same questions, not new ones.
    await people.say("regisseur", f"casus {number}", "casusoverleg plannen", MEETING, "ja")
    assert await rows(people, PREPARE) == 2 and await rows(people, AGENDA) == 1
    # Moved a week on: the questions for the first moment are not sent; those for the new one are, once.
    await people.say("regisseur", f"casus {number}", "casusoverleg plannen", "22 december 10:00", "ja")
    clock.advance(ASKED - clock.now())
    await people.deliver()
    assert "casusoverleg over casus" not in people.received("agent")
    assert await rows(people, PREPARE, OutboxStatus.CANCELLED) == 2
    clock.advance(timedelta(days=7))  # Friday 18 December 09:00: two working days before the 22nd
    await people.deliver()
    assert people.received("agent").count("casusoverleg over casus") == 1
    assert "dinsdag 22 december 2026" in people.received("agent")
    # The agenda of the 15th has no case left, and is not sent; the 22nd's is.
    assert await rows(people, AGENDA, OutboxStatus.CANCELLED) == 1


async def test_a_participant_without_an_action_is_asked_about_the_case_and_answers_in_place(
    chat: Chat, clock: FixedClock
) -> None:
    people = People(chat)
    number = await refer_a_case(people.chat)
    await people.say("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await people.say("regisseur", f"deelnemers {number}", "iemand toevoegen", "wijkteam", "ja")
    await people.say(
        "regisseur", f"plan {number}",
        "Huisbezoek afleggen", "agent", "vrijdag 18 december 14:00", "ja", "nee",
        MEETING, "ja", "ja",
    )  # fmt: skip
    people.channel("wijkteam")
    clock.advance(ASKED - clock.now())
    await people.deliver()
    asked = people.received("wijkteam")
    assert f"Het casusoverleg over casus {number} is op dinsdag 15 december 2026, 10:00" in asked
    assert "Heeft u iets te melden" in asked and "Huisbezoek" not in asked  # nothing of the actions
    assert "Willem Wijkteam (Wijkteam Amersfoort-Noord)" in await people.say(
        "regisseur", "agenda 15 december"
    )
    assert "Typ uw terugkoppeling" in await people.say("wijkteam", "update geven")
    await people.say("wijkteam", "Gezin is bereikbaar, school meldt verzuim", "nee")
    view = await people.say("regisseur", "agenda 15 december")
    assert (
        "Gezin is bereikbaar, school meldt verzuim" in view
        and "Willem Wijkteam" not in view.split("antwoord")[-1]
    )
    assert await rows(people, PREPARE_PARTICIPANT, OutboxStatus.SENT) == 1
    # Planned again for the same moment: not asked again.
    await people.say("regisseur", f"casus {number}", "casusoverleg plannen", MEETING, "ja")
    assert await rows(people, PREPARE_PARTICIPANT) == 1


async def test_the_waarnemer_gets_the_agenda_of_a_day_on_which_a_case_of_the_absent_one_is_discussed(
    chat: Chat, clock: FixedClock
) -> None:
    people = People(chat)
    number = await planned_case(people)
    people.channel("regisseur2")
    started = await people.say(
        "regisseur", "waarneming", "Ruben Regisseur", "woensdag 16 december 17:00", "ja"
    )
    assert "Klopt dat?" in started
    await people.say("regisseur", "ja")
    clock.advance(AGENDA_AT - clock.now())
    await people.deliver()
    agenda = people.received("regisseur2")
    assert "Agenda voor het casusoverleg van dinsdag 15 december 2026:" in agenda and f"{number} — " in agenda
    assert await rows(people, AGENDA, OutboxStatus.SENT) == 2  # the absent one's own, and the waarnemer's


async def test_an_overleg_planned_during_a_waarneming_gives_the_waarnemer_its_agenda(
    chat: Chat, clock: FixedClock
) -> None:
    people = People(chat)
    people.channel("regisseur2")
    await people.say("regisseur", "waarneming", "Ruben Regisseur", "woensdag 16 december 17:00", "ja", "ja")
    number = await planned_case(people)
    clock.advance(AGENDA_AT - clock.now())
    await people.deliver()
    assert f"{number} — " in people.received("regisseur2")
