"""Every job through the Microsoft 365 Agents Playground, a Teams-like client from npm: two professionals, each
at their own Playground, the bot's endpoint and delivery engine running here in local mode."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path

import pytest

from handlers.dates.clock import FixedClock
from tests.bot.teams.conftest import AAD, TENANT, TeamsBot
from tests.bot.teams.playground import Playground, card_of, node_or_skip
from tests.bot.teams.shown import shown_text
from tests.case_life import CASE_LIFE_PEOPLE, Client, live_a_case
from tests.conftest import AMSTERDAM, Chat, link_address
from tests.seeding import registered_by_email
from tests.test_admission import set_homes
from tests.test_scenario import CHECK_THAT_FITS, PLAN_ONE_ACTION, REFERRAL_REST, refer_a_case
from tests.week_life import WEEK_PEOPLE, live_a_week, plan_the_week

Open = Callable[[str], Awaitable[Playground]]


def quietly_drained(playground: Playground) -> Callable[[], Awaitable[None]]:
    """What arrived, passed over once nothing has come for a moment."""

    async def drain() -> None:
        await asyncio.sleep(1.0)
        while not playground.inbox.empty():
            playground.drain()
            await asyncio.sleep(1.0)

    return drain


@pytest.fixture
async def open_teams(teams_bot: TeamsBot, tmp_path: Path) -> AsyncIterator[Open]:
    node_or_skip()
    started: list[Playground] = []

    async def open_for(handle: str) -> Playground:
        playground = Playground(tmp_path / f"playground-{handle}", teams_bot.url, handle, AAD[handle], TENANT)
        started.append(playground)
        await playground.start()
        return playground

    yield open_for
    for playground in started:
        await playground.stop()


# The same jobs on both backends: tests/test_scenario.py (in process) and tests/bot/teams (over the wire).
@pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
async def test_check_referral_accept_actions_reminder_card_feedback_status(
    open_teams: Open, clock: FixedClock
) -> None:
    agent, regisseur = await open_teams("agent"), await open_teams("regisseur")
    assert "aanmelden" in await regisseur.ask("help")  # the personal chat exists: the bot may write first

    assert "past waarschijnlijk" in await agent.ask(*CHECK_THAT_FITS)
    assert "casusnummer VH-2026-0001" in await agent.ask("ja", *REFERRAL_REST)
    number = "VH-2026-0001"

    await regisseur.expect(f"Nieuwe aanmelding {number}")
    assert "Doel van de melder: Hulpverlening stagneert" in await regisseur.ask("intake", "1")
    assert "geaccepteerd" in await regisseur.ask("accepteren", "Petra Regisseur")
    await agent.expect(f"Uw aanmelding {number} is geaccepteerd")

    recorded = await regisseur.ask(f"plan {number}", *PLAN_ONE_ACTION)
    assert "vastgelegd (1 actie)" in recorded
    await agent.expect(f"actiehouder van actie {number} #1")

    # Two working days before the deadline, 09:00: the reminder arrives with buttons; one press answers it.
    clock.advance(datetime(2026, 12, 2, 9, 1, tzinfo=AMSTERDAM) - clock.now())
    reminder = await agent.expect("moet uiterlijk")  # the text and its buttons in one card
    assert [a["title"] for a in card_of(reminder)["actions"]][:1] == ["1. gedaan"]
    answered = await agent.press(reminder, "gedaan")
    assert "Beantwoord: gedaan" in str(answered)
    assert "staat op gedaan" in "\n".join(shown_text(m) for m in await agent.replies())
    await regisseur.expect(f"Actie {number} #1 is afgemeld als gedaan")
    assert "niet meer open" in str(await agent.press(reminder, "gedaan"))  # a stale button acts no more

    await agent.ask(f"terugkoppeling {number}", "Huur <b>achterstand</b> loopt op")
    assert "zorgsignaal" in (await agent.ask("ja")).lower()
    await regisseur.expect(f"ZORGSIGNAAL op casus {number}")

    regisseur.drain()
    await regisseur.say(f"updates {number}")
    update = await regisseur.expect("Huur <b>achterstand</b>")
    # What people type is shown as typed, never as markup: only text runs, which Teams shows as they are.
    assert {block["type"] for block in card_of(update)["body"]} == {"RichTextBlock"}
    status = await regisseur.ask("ja", f"status {number}")
    assert "Ongelezen terugkoppelingen: 0" in status and "Huisbezoek afleggen" in status


# The store's side of the case life runs on both backends in the terminal; here it is about the client.
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_a_whole_case_life_at_the_playgrounds(teams_bot: TeamsBot, open_teams: Open) -> None:
    """After a referral made in the terminal, the whole case life at four people's own Playgrounds: typed
    answers to the cards, and every notice arriving in each person's personal chat."""
    clients: dict[str, Client] = {}
    for handle in CASE_LIFE_PEOPLE:
        await link_address(teams_bot.app, handle, "teams", AAD[handle])
        playground = await open_teams(handle)
        assert "Wat ik kan" in await playground.ask("help")  # the personal chat exists: the bot may write
        clients[handle] = Client(playground.ask, playground.expect)
    number = await refer_a_case(Chat(teams_bot.app))
    await live_a_case(teams_bot.app, number, clients)


@pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
async def test_a_newcomer_asks_to_join_and_one_press_of_the_procesregisseur_admits_them(
    open_teams: Open, teams_bot: TeamsBot
) -> None:
    """Issue 20 through the Playground: a Teams user of the wijkteam's tenant, unknown to the bot, asks to join;
    the procesregisseur's notice has the buttons; one press admits, and the newcomer is welcomed."""
    await set_homes(teams_bot.app, "Wijkteam Amersfoort-Noord", tenant=TENANT)
    regisseur = await open_teams("regisseur")
    assert "verzoeken" in await regisseur.ask("help")
    stranger = await open_teams("stranger")
    assert "U kunt toegang vragen als melder, onder de naam Stranger" in await stranger.ask("hallo")
    assert "is verstuurd" in await stranger.ask("1")
    notice = await regisseur.expect("Verzoek om toegang: Stranger wil melder worden")
    await regisseur.press(notice, "toelaten")
    await regisseur.expect("Stranger is nu melder bij Wijkteam Amersfoort-Noord")
    await stranger.expect("uw verzoek om toegang is toegekend")
    assert "aanmelden" in await stranger.ask("help")


@pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
async def test_someone_registered_by_email_is_linked_from_the_playgrounds_member_api(
    open_teams: Open, teams_bot: TeamsBot
) -> None:
    # The address the Playground gives as this user's (its member API answers with it).
    await registered_by_email(
        teams_bot.app, "Wijkteam Amersfoort-Noord", "stranger@example.org", "sanne", "Sanne de Boer"
    )
    stranger = await open_teams("stranger")
    assert "Welkom, Sanne de Boer: uw chataccount is gekoppeld" in await stranger.ask("hallo")


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
async def test_the_procesregisseurs_week_at_the_playgrounds(
    teams_bot: TeamsBot, open_teams: Open, clock: FixedClock
) -> None:
    """Settings, a digest, the overleg's question answered with a press, an absence and the agenda, each at the
    person's own Playground."""
    clients: dict[str, Client] = {}
    for handle in WEEK_PEOPLE:
        await link_address(teams_bot.app, handle, "teams", AAD[handle])
        playground = await open_teams(handle)
        assert "Wat ik kan" in await playground.ask("help")  # the personal chat exists: the bot may write
        clients[handle] = Client(playground.ask, playground.expect, shown_text, quietly_drained(playground))
    number = await refer_a_case(Chat(teams_bot.app))
    await plan_the_week(teams_bot.app, number)
    await live_a_week(teams_bot.app, clock, number, clients)
