"""Reminders the way people want them (issue 36, part 4): one digest a working day at a time the holder picks,
and being away until a date, set in `instellingen` or with `afwezig tot …`; on both backends, through the terminal
channel and the real delivery engine. What must go at once (the overdue notice to the procesregisseur) never
waits; changing one's mind sends what waited."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import REGISTRY
from sqlalchemy import select

from handlers.dates.clock import FixedClock
from handlers.reminders import ACTION_DUE_SOON
from storage.models import OutboxStatus, PendingMessage
from tests.conftest import AMSTERDAM, Chat
from tests.test_overleg import People, planned_case
from tests.test_scenario import refer_a_case

# The clock stands on Monday 23 November 2026 (the tests' fixed in-process clock). The agent's two actions fall due
# on Friday 18 December: both 'due soon' reminders go two working days before, Wednesday 16 December at 09:00.
DUE_SOON = datetime(2026, 12, 16, 9, 0, tzinfo=AMSTERDAM)
DIGEST = datetime(2026, 12, 16, 16, 30, tzinfo=AMSTERDAM)
# The working day after the deadline: the overdue reminder to the holder and the notice to the procesregisseur.
OVERDUE = datetime(2026, 12, 21, 9, 0, tzinfo=AMSTERDAM)


async def two_actions_for_the_agent(people: People) -> str:
    number = await refer_a_case(people.chat)
    await people.say("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    recorded = await people.say(
        "regisseur", f"plan {number}",
        "Huisbezoek afleggen", "agent", "vrijdag 18 december 14:00", "ja", "ja",
        "Buurtagent informeren", "agent", "vrijdag 18 december 16:00", "ja", "nee",
        "geen", "ja",
    )  # fmt: skip
    assert "vastgelegd (2 acties)" in recorded, recorded
    return number


def lateness_sum() -> float:
    """Seconds of lateness the reminders sent so far added up to, as /metrics reports it."""
    return REGISTRY.get_sample_value("vhbot_reminder_lateness_seconds_sum") or 0.0


async def statuses(people: People, kind: str) -> list[OutboxStatus]:
    async with people.chat.app.sessions() as session:
        query = select(PendingMessage.status).where(PendingMessage.kind == kind).order_by(PendingMessage.id)
        return list((await session.scalars(query)).all())


async def test_a_digest_gathers_the_days_reminders_into_one_message_at_the_chosen_time(
    chat: Chat, clock: FixedClock
) -> None:
    people = People(chat)
    number = await two_actions_for_the_agent(people)
    shown = await people.say("agent", "instellingen")
    assert "Herinneringen: elk apart, zodra ze vallen" in shown and "Afwezig: nee" in shown
    assert "tussen 08:00 en 18:00" in await people.say("agent", "herinneringen")
    await people.say("agent", "één overzicht per dag")
    assert "lees ik niet als tijd" in await people.say("agent", "ja")  # not a time: asked again
    assert "Om 21:00 stuur ik geen berichten" in await people.say("agent", "21:00")
    saved = await people.say("agent", "half vijf 's middags")
    assert "één overzicht per werkdag om 16:30, het eerst op maandag 23 november 2026, 16:30" in saved
    assert "om 16:30" in await people.say("agent", "instellingen")
    await people.say("agent", "stop")

    await people.deliver()  # what the plan itself told them
    before = len(people.received("agent"))
    clock.advance(DUE_SOON - clock.now())
    await people.deliver()
    assert "Herinnering" not in people.received("agent")  # set aside for the digest
    assert await statuses(people, ACTION_DUE_SOON) == [OutboxStatus.PENDING] * 2

    clock.advance(DIGEST - clock.now())
    late_before = lateness_sum()
    await people.deliver()
    assert lateness_sum() - late_before < 60  # waiting for the digest is not being late (an alert watches it)
    digest = people.received("agent")[before:]
    assert digest.count("Uw herinneringen van vandaag (2):") == 1  # one message
    assert f"actie {number} #1 moet uiterlijk vrijdag 18 december 2026, 14:00 klaar zijn" in digest
    assert f"actie {number} #2 moet uiterlijk vrijdag 18 december 2026, 16:00 klaar zijn" in digest
    assert "Huisbezoek afleggen" in digest and "Buurtagent informeren" in digest
    assert "Verlaat bericht" not in digest  # it came when asked for: not late
    assert "Typ 'acties'" in digest
    assert await statuses(people, ACTION_DUE_SOON) == [OutboxStatus.SENT] * 2

    # The overdue notice to the procesregisseur goes at 09:00, not with the agent's digest at 16:30.
    clock.advance(OVERDUE - clock.now())
    await people.deliver()
    assert f"{number} #1" in people.received("regisseur") and "over de deadline" in people.received(
        "regisseur"
    )
    assert people.received("agent").count("Uw herinnering") == 1


async def test_back_to_separate_reminders_sends_what_waited_at_once(chat: Chat, clock: FixedClock) -> None:
    people = People(chat)
    await two_actions_for_the_agent(people)
    await people.say("agent", "instellingen", "herinneringen", "één overzicht per dag", "17:00")
    clock.advance(DUE_SOON - clock.now())
    await people.deliver()
    assert "Herinnering" not in people.received("agent")
    said = await people.say("agent", "instellingen", "herinneringen", "elk apart")
    assert "elk apart, zodra ze vallen" in said
    await people.deliver()
    assert people.received("agent").count("Herinnering: actie") == 2  # each apart, with answers in place


async def test_away_until_a_day_holds_the_reminders_and_tells_the_procesregisseur_who_holds_what(
    chat: Chat, clock: FixedClock
) -> None:
    people = People(chat)
    number = await planned_case(people)  # #1 the agent's (Fri 18 Dec 14:00), #2 the reclassering's
    await people.deliver()  # what the plan itself told them
    assert "Die dag is al begonnen" in await people.say("agent", "afwezig tot vandaag 17:00")
    asked = await people.say("agent", "tot en met vrijdag 18 december")  # the answer, after the refusal
    assert "vrijdag 18 december 2026" in asked
    saved = await people.say("agent", "ja")
    assert "Uw herinneringen wachten tot maandag 21 december 2026, 09:00" in saved
    assert "De procesregisseur van 1 casus" in saved
    await people.deliver()
    told = people.received("regisseur")
    assert f"Open acties van Anna Agent op casus {number}:" in told
    assert "#1 Huisbezoek afleggen" in told and "Toezicht" not in told
    assert "wachten tot maandag 21 december 2026, 09:00" in await people.say("agent", "instellingen")
    await people.say("agent", "stop")

    clock.advance(DUE_SOON - clock.now())
    await people.deliver()
    assert "Herinnering" not in people.received("agent")  # held while away
    assert "Herinnering" in people.received("reclassering")  # others' are not

    before = len(people.received("agent"))
    clock.advance(OVERDUE - clock.now())
    await people.deliver()
    back = people.received("agent")[before:]
    assert back.count(f"{number} #1") == 1  # the held ones together: only the most pressing
    assert "over de deadline" in back or "verlopen" in back.lower()
    assert "Verlaat bericht" in back  # said to be late: it was meant for earlier

    # Setting the same absence again tells nobody twice.
    await people.say("agent", "afwezig tot 4 januari", "ja")
    await people.say("agent", "afwezig tot 4 januari", "ja")
    await people.deliver()
    assert people.received("regisseur").count("Anna Agent is afwezig") == 2  # once for each absence


async def test_back_earlier_sends_what_waited_and_tells_the_procesregisseur(
    chat: Chat, clock: FixedClock
) -> None:
    people = People(chat)
    number = await planned_case(people)
    await people.say("agent", "afwezig tot 4 januari", "ja")
    clock.advance(DUE_SOON - clock.now())
    await people.deliver()
    assert "Herinnering" not in people.received("agent")
    assert "U staat afwezig" in await people.say("agent", "afwezig")
    assert "Welkom terug" in await people.say("agent", "ja")
    await people.deliver()
    assert f"Herinnering: actie {number} #1" in people.received("agent")
    assert f"Anna Agent is weer aanwezig en pakt de acties op casus {number} weer op" in people.received(
        "regisseur"
    )
    assert "niet als afwezig genoteerd" in await people.say("agent", "weer aanwezig")


async def test_the_language_is_chosen_in_the_settings_too(chat: Chat) -> None:
    people = People(chat)
    assert "Welke taal?" in await people.say("wijkteam", "instellingen", "taal")
    assert "I will speak English" in await people.say("wijkteam", "English")
    shown = await people.say("wijkteam", "settings")
    assert "Language: English" in shown and "Reminders: one by one" in shown
    await people.say("wijkteam", "stop")
    assert "not noted as away" in await people.say("wijkteam", "back at work")
