"""Matrix as people see it (issue 38): a case's first weeks at Hydrogen, a real Matrix web client, in chromium.

Two professionals log in through Hydrogen's form; every message is typed in its composer and every reply read from
its timeline, decrypted by its own olm. The melder refers a case whose goal carries two addresses; the
procesregisseur, who has no chat with the bot yet, accepts the bot's invite (the bot's first message in each chat
says it is a chatbot and who runs it), takes the referral in, records a plan
with an action for the melder and one for a colleague without a chat, and looks at the case; the melder's reminder
arrives. Asserted: one room per person, nothing Hydrogen cannot decrypt, no clickable link from typed text, the
bot's own form link still a link. Screenshots at desktop and phone width go to ``.screenshots/hydrogen``.

Start it alone with ``.venv/bin/python -m pytest tests/bot/matrix/test_matrix_hydrogen.py`` (Synapse, the built
client and chromium come from the setup scripts).
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from selenium import webdriver
from sqlalchemy import select

from bot.app import App
from handlers.dates.clock import FixedClock
from storage.models import Action
from tests.bot.matrix.conftest import PASSWORD, PUBLIC_URL, RunningBot
from tests.bot.matrix.homeserver import Homeserver
from tests.bot.matrix.hydrogen import DESKTOP, PHONE, HydrogenPerson, serve_app
from tests.bot.matrix.person import GREETING
from tests.bot.matrix.test_matrix_trust import SQLITE_ONLY
from tests.browser import chromium
from tests.conftest import link_address
from tests.scripts import referral_after_check
from tests.test_scenario import CHECK_THAT_FITS

SHOTS = Path(__file__).resolve().parents[3] / ".screenshots" / "hydrogen"
# Typed by the melder: an address, and markup that would make another one.
GOAL = 'Hulpverlening stagneert, zie https://example.org/x <a href="https://evil.example">klik</a>'
# The bot's first message in every chat.
WHO = f"{GREETING}, beheerd door Zorg- en Veiligheidshuis Voorbeeldregio."
PLAN = [
    "Huisbezoek afleggen",
    "agent",
    "vrijdag 4 december 14:00",
    "ja",
    "ja",  # another action
    "Schuldhulp opstarten",
    "wijkteam",  # Willem has no chat with the bot: his notices come together
    "vrijdag 11 december 14:00",
    "ja",
    "nee",
    "15 december 10:00",
    "ja",
    "ja",
]


@pytest.fixture
def site() -> Iterator[str]:
    yield from serve_app()


@pytest.fixture
def browsers() -> Iterator[tuple[webdriver.Chrome, webdriver.Chrome]]:
    """A browser per person: each holds its own Hydrogen device and keys."""
    made = [chromium(), chromium()]
    try:
        yield next(made[0]), next(made[1])
    finally:
        for browser in made:
            next(browser, None)  # runs on past its yield: the browser quits


def client_api(
    homeserver: Homeserver, token: str, path: str, body: object | None = None
) -> dict[str, object]:
    request = urllib.request.Request(
        f"{homeserver.url}/_matrix/client/v3/{path}",
        json.dumps(body).encode() if body is not None else None,
        {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, object] = json.load(response)
        return answer


async def account(demo: App, homeserver: Homeserver, handle: str) -> tuple[str, str]:
    """A Matrix account of the demo professional ``handle``, linked in the store: its id and a token."""
    user_id, token = homeserver.register_with_token(f"{handle}-{uuid.uuid4().hex[:6]}", PASSWORD)
    await link_address(demo, handle, "matrix", user_id)
    return user_id, token


def invites_from(homeserver: Homeserver, token: str, bot: str) -> list[str]:
    """The rooms the bot invited this account to, as its homeserver lists them."""
    rooms = client_api(homeserver, token, "sync?timeout=0")["rooms"]
    assert isinstance(rooms, dict)
    return [
        room_id
        for room_id, room in rooms.get("invite", {}).items()
        if any(event.get("sender") == bot for event in room["invite_state"]["events"])
    ]


@SQLITE_ONLY
async def test_a_case_at_hydrogen_one_room_each_readable_and_no_typed_link_live(
    bot: RunningBot,
    demo: App,
    homeserver: Homeserver,
    clock: FixedClock,
    site: str,
    browsers: tuple[webdriver.Chrome, webdriver.Chrome],
) -> None:
    agent_id, agent_token = await account(demo, homeserver, "agent")
    regisseur_id, _ = await account(demo, homeserver, "regisseur")
    _, willem_token = await account(demo, homeserver, "wijkteam")
    agent = HydrogenPerson(browsers[0], site, homeserver.url, agent_id)
    regisseur = HydrogenPerson(browsers[1], site, homeserver.url, regisseur_id)
    # Both are logged in before the bot writes to them (a device that logs in later cannot read what came before:
    # README, "A person's new Matrix device").
    await regisseur.log_in(PASSWORD)
    await agent.log_in(PASSWORD)
    # The melder's chat, made as Element makes one (from another of the melder's devices): direct, encrypted,
    # the bot invited. Hydrogen cannot invite someone to a new direct chat.
    client_api(
        homeserver,
        agent_token,
        "createRoom",
        {
            "is_direct": True,
            "preset": "trusted_private_chat",
            "invite": [bot.user_id],
            "initial_state": [
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                }
            ],
        },
    )
    await agent.open_room()
    # In the chat the person opened, the bot says who it is as soon as it joins.
    assert (await agent.first_received()).startswith(WHO)

    outcome = await agent.ask(*CHECK_THAT_FITS)
    assert any("past waarschijnlijk" in message.text for message in outcome)
    registered = await agent.ask("ja", *referral_after_check(goal=GOAL))
    assert any("casusnummer VH-2026-0001" in message.text for message in registered)
    number = "VH-2026-0001"
    form = await agent.expect(PUBLIC_URL)
    await agent.screenshot(SHOTS / "1-melder-referral-desktop.png", DESKTOP)
    await agent.screenshot(SHOTS / "1-melder-referral-phone.png", PHONE)

    # The procesregisseur had no chat: the bot's invite says it is a chatbot, and the referral waits inside.
    invited = await regisseur.accept_invite()
    assert "(Chatbot)" in invited
    await regisseur.expect(f"Nieuwe aanmelding {number}")
    # In the chat the bot opened, that comes first of all.
    assert (await regisseur.first_received()).startswith(WHO)
    review = await regisseur.ask("intake", "1")
    (goal,) = [message for message in review if "Doel van de melder: Hulpverlening stagneert" in message.text]
    assert (
        "https[:]//example[.]org/x" in goal.text and "<code>" in goal.html
    )  # as typed, readable, not a link
    assert "<strong>Melder:</strong>" in goal.html  # labels in bold, as Hydrogen shows them
    await regisseur.screenshot(SHOTS / "2-procesregisseur-intake-desktop.png", DESKTOP)
    await regisseur.screenshot(SHOTS / "2-procesregisseur-intake-phone.png", PHONE)
    accepted = await regisseur.ask("accepteren", "Petra Regisseur")
    assert any("geaccepteerd" in message.text for message in accepted)

    recorded = await regisseur.ask(f"plan {number}", *PLAN)
    assert any("vastgelegd (2 acties)" in message.text for message in recorded)
    await agent.expect(f"actiehouder van actie {number} #1")
    status = await regisseur.ask(f"status {number}")
    assert any("Schuldhulp opstarten" in message.text for message in status)
    await regisseur.screenshot(SHOTS / "3-procesregisseur-case-desktop.png", DESKTOP)
    await regisseur.screenshot(SHOTS / "3-procesregisseur-case-phone.png", PHONE)

    # Two working days before the deadline, 09:00: the melder's reminder, answerable where it arrives. The deadline
    # is the one the bot read from what was typed, on the test clock.
    async with demo.sessions() as session:
        deadline = await session.scalar(select(Action.deadline).where(Action.seq == 1))
    assert deadline is not None
    calendar = demo.calendar
    clock.advance(calendar.at(calendar.shift(calendar.local_date(deadline), -2), time(9, 1)) - clock.now())
    reminder = await agent.expect("moet uiterlijk")
    assert "gedaan" in reminder.text
    await agent.screenshot(SHOTS / "4-melder-reminder-desktop.png", DESKTOP)
    await agent.screenshot(SHOTS / "4-melder-reminder-phone.png", PHONE)
    # Their own settings: a line each, the options to pick below.
    (shown,) = [message for message in await agent.ask("instellingen") if "Uw instellingen" in message.text]
    assert "Herinneringen: elk apart" in shown.text and "Afwezig: nee" in shown.text
    await agent.screenshot(SHOTS / "5-melder-settings-desktop.png", DESKTOP)
    await agent.screenshot(SHOTS / "5-melder-settings-phone.png", PHONE)

    # One room per person: the melder's own chat, the one the bot opened, and one invite for Willem, whose action
    # and overleg notices came at the same moment.
    assert len(await agent.rooms()) == 1 and len(await regisseur.rooms()) == 1
    assert len(invites_from(homeserver, willem_token, bot.user_id)) == 1
    # Everything readable, and no address anyone typed is a link; the bot's own form link is.
    for person in (agent, regisseur):
        assert await person.unreadable() == []
        typed = [link for link in await person.live_links() if "example" in link]
        assert typed == [], typed
    assert [link for link in await agent.live_links() if link.startswith(PUBLIC_URL)], form.html
