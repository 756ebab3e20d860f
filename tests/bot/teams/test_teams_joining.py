"""Joining on Teams over HTTP (issue 20): the endpoint in local mode, the delivery engine, and the Bot Connector
stand-in, which answers the member API with the sender's e-mail address and tenant. A professional registered by
e-mail address is linked on first contact; a newcomer from an organisation's tenant asks to join, a
procesregisseur admits them in their own chat, and the welcome reaches the newcomer's chat on its own. Channel
behaviour (the store's side runs on both backends in tests/test_admission.py and tests/test_accounts.py): on
SQLite only."""

from __future__ import annotations

import asyncio

import pytest

from storage import people
from tests.bot.teams.conftest import AAD, TENANT, TeamsBot, personal
from tests.bot.teams.connector import FakeConnector, Posted
from tests.bot.teams.test_teams_http import press
from tests.seeding import registered_by_email
from tests.test_admission import set_homes

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

WIJKTEAM = "Wijkteam Amersfoort-Noord"


async def proactive(connector: FakeConnector, handle: str, words: str) -> Posted:
    """The first message in the person's chat that holds ``words``, waited for (one the bot sends on its own)."""
    async with asyncio.timeout(10):
        while True:
            for posted in connector.posted:
                if posted.conversation == personal(handle) and words in posted.text:
                    return posted
            await connector.wait_for(len(connector.posted) + 1)


def member(handle: str, email: str) -> dict[str, str]:
    return {
        "id": f"29:{handle}",
        "aadObjectId": AAD[handle],
        "name": "Sanne de Boer",
        "email": email,
        "userPrincipalName": email,
        "tenantId": TENANT,
    }


async def test_a_professional_registered_by_email_is_linked_when_they_first_write(
    teams_bot: TeamsBot,
) -> None:
    app = teams_bot.app
    await set_homes(app, WIJKTEAM, tenant=TENANT)
    await registered_by_email(app, WIJKTEAM, "sanne@wijkteam.example", "sanne", "Sanne de Boer")
    teams_bot.connector.members["29:stranger"] = member("stranger", "Sanne@Wijkteam.example")
    assert "uw chataccount is gekoppeld aan uw aanmelding bij Wijkteam" in await teams_bot.say(
        "stranger", "hallo"
    )
    assert "nog geen aanmeldingen" in await teams_bot.say("stranger", "status")
    assert teams_bot.connector.member_asks == ["29:stranger"]  # asked while unknown only
    async with app.sessions() as session:
        sanne = await people.professional_by_handle(session, "sanne")
    assert sanne is not None and sanne.address("teams") == AAD["stranger"]


async def test_a_newcomer_asks_to_join_and_is_welcomed_after_the_procesregisseur_admits(
    teams_bot: TeamsBot,
) -> None:
    await set_homes(teams_bot.app, WIJKTEAM, tenant=TENANT)
    await teams_bot.say("regisseur", "help")  # the bot keeps the procesregisseur's chat from now on
    offer = await teams_bot.say("stranger", "hallo")
    assert "U kunt toegang vragen als melder, onder de naam stranger" in offer
    assert "is verstuurd" in await teams_bot.say("stranger", "1")
    connector = teams_bot.connector
    notice = await proactive(connector, "regisseur", "Verzoek om toegang")
    assert (
        "Verzoek om toegang: stranger wil melder worden bij Wijkteam Amersfoort-Noord (via Teams)"
        in notice.text
    )
    assert notice.card is not None
    admit = next(action for action in notice.card["actions"] if action["title"].endswith("toelaten"))
    before = len(connector.posted)
    await press(teams_bot, "regisseur", admit)  # one button decides it
    assert "is nu melder" in (await connector.wait_for(before + 1))[before].text
    await proactive(connector, "stranger", "uw verzoek om toegang is toegekend")
    assert "aanmelden" in await teams_bot.say("stranger", "help")
