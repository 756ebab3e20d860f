"""Every job over real, encrypted Matrix: two professionals at their own clients, the bot on a real Synapse.

The scenario runs once with the professionals at matrix-nio clients and once at matrix-js-sdk with the Rust
crypto Element uses, so the bot's encryption is checked against an implementation that shares no code with it."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest

from handlers.dates.clock import FixedClock
from tests.bot.matrix.conftest import PUBLIC_URL, MeetAnywhere, RunningBot
from tests.case_life import CASE_LIFE_PEOPLE, Client, live_a_case
from tests.conftest import AMSTERDAM, Chat
from tests.test_scenario import CHECK_THAT_FITS, PLAN_ONE_ACTION, REFERRAL_REST, refer_a_case
from tests.week_life import WEEK_PEOPLE, live_a_week, plan_the_week


@pytest.mark.parametrize(
    ("settings", "meet_anywhere"),
    # The second client is about the wire, not the store: one backend is enough for it.
    [("sqlite", "matrix-nio"), ("postgresql", "matrix-nio"), ("sqlite", "matrix-js-sdk")],
    indirect=True,
)
async def test_check_referral_accept_actions_reminder_feedback_status(
    bot: RunningBot, meet_anywhere: MeetAnywhere, clock: FixedClock
) -> None:
    agent, regisseur = await meet_anywhere("agent"), await meet_anywhere("regisseur")
    agent_room = await agent.open_direct_chat(bot.user_id)

    assert "past waarschijnlijk" in await agent.ask(agent_room, *CHECK_THAT_FITS)
    registered = await agent.ask(agent_room, "ja", *REFERRAL_REST)
    assert "casusnummer VH-2026-0001" in registered
    number = "VH-2026-0001"
    # Identifying details: not in the chat, but through a single-use link to the form page.
    if PUBLIC_URL not in registered:  # the link comes as a message of its own, which a busy machine may delay
        registered += (await agent.expect(PUBLIC_URL))[1]
    link = re.search(rf"{re.escape(PUBLIC_URL)}/forms/(\S+)", registered)
    assert link, registered
    assert (await bot.app.forms.open(link[1])).form is not None

    # The referral lands with the procesregisseur in a direct chat the bot opens (encrypted, flagged direct).
    regisseur_room, _, _ = await regisseur.expect(f"Nieuwe aanmelding {number}")
    assert await regisseur.is_encrypted(regisseur_room)
    review = await regisseur.ask(regisseur_room, "intake", "1")
    assert "Doel van de melder: Hulpverlening stagneert" in review
    assert "geaccepteerd" in await regisseur.ask(regisseur_room, "accepteren", "Petra Regisseur")
    accepted_room, _, _ = await agent.expect(f"Uw aanmelding {number} is geaccepteerd")
    assert accepted_room == agent_room  # the existing direct chat is reused, not a new room per message

    recorded = await regisseur.ask(regisseur_room, f"plan {number}", *PLAN_ONE_ACTION)
    assert "vastgelegd (1 actie)" in recorded
    await agent.expect(f"actiehouder van actie {number} #1")

    # Two working days before the deadline, 09:00: the reminder arrives and is answered by replying to it.
    clock.advance(datetime(2026, 12, 2, 9, 1, tzinfo=AMSTERDAM) - clock.now())
    room, body, reminder = await agent.expect("moet uiterlijk")
    assert room == agent_room and "1. gedaan" in body
    assert "<ol><li>gedaan</li>" in reminder["content"]["formatted_body"]
    await agent.drain()
    await agent.say(agent_room, "gedaan", reply_to=reminder["event_id"])
    assert any("staat op gedaan" in reply for reply in await agent.replies())
    await regisseur.expect(f"Actie {number} #1 is afgemeld als gedaan")

    # Feedback with a concern flag reaches the procesregisseur at once, in the same direct chat.
    await agent.ask(agent_room, f"terugkoppeling {number}", "Huur <b>achterstand</b> loopt op")
    sent = await agent.ask(agent_room, "ja")
    assert "zorgsignaal" in sent.lower()
    signal_room, _, _ = await regisseur.expect(f"ZORGSIGNAAL op casus {number}")
    assert signal_room == regisseur_room

    await regisseur.drain()
    await regisseur.say(regisseur_room, f"updates {number}")
    replies = [await regisseur.receive()]
    assert any("Huur <b>achterstand</b>" in body for _, body, _ in replies)
    markup = replies[0][2]["content"]["formatted_body"]
    assert "&lt;b&gt;achterstand&lt;/b&gt;" in markup and "<b>achterstand" not in markup  # typed: escaped
    await regisseur.drain()  # the rest of the updates' answer, so the next answers are read as theirs
    status = await regisseur.ask(regisseur_room, "ja", f"status {number}")
    assert "Ongelezen terugkoppelingen: 0" in status and "Huisbezoek afleggen" in status

    # Everything the bot said came encrypted, and each person could read all of it.
    for person in (agent, regisseur):
        assert person.unencrypted == [] and person.unreadable == []


async def at_their_clients(
    bot: RunningBot, meet_anywhere: MeetAnywhere, handles: tuple[str, ...]
) -> tuple[list[Any], dict[str, Client]]:
    """Each person at their own client, in a direct chat with the bot, as a ``Client`` the shared scripts play."""
    people, clients = [], {}
    for handle in handles:
        person = await meet_anywhere(handle)
        room = await person.open_direct_chat(bot.user_id)
        people.append(person)
        clients[handle] = Client(
            lambda *texts, p=person, r=room: p.ask(r, *texts),
            person.expect,
            lambda message: message[1],
            person.drain,
        )
    return people, clients


@pytest.mark.parametrize(
    ("settings", "meet_anywhere"),
    # Element's own library; the scenario above runs both clients, and the terminal lives the same case on both
    # backends (tests/handlers/cases/test_case_life.py).
    [("sqlite", "matrix-js-sdk")],
    indirect=True,
)
async def test_a_whole_case_life_at_the_clients(bot: RunningBot, meet_anywhere: MeetAnywhere) -> None:
    """The referral is made in the terminal (the scenario above makes one over Matrix); everything after it
    happens at four people's own Matrix clients, in their encrypted direct chats."""
    people, clients = await at_their_clients(bot, meet_anywhere, CASE_LIFE_PEOPLE)
    number = await refer_a_case(Chat(bot.app))
    await live_a_case(bot.app, number, clients)
    for person in people:
        assert person.unencrypted == [] and person.unreadable == []


# Element's library; the store's side of the week runs on both backends in the terminal (test_reminder_preferences,
# test_overleg), and matrix-nio meets every kind of message in the scenario above.
@pytest.mark.parametrize(("settings", "meet_anywhere"), [("sqlite", "matrix-js-sdk")], indirect=True)
async def test_the_procesregisseurs_week_at_the_clients(
    bot: RunningBot, meet_anywhere: MeetAnywhere, clock: FixedClock
) -> None:
    """Settings, a digest, the overleg's question answered in place, an absence and the agenda, each at the
    person's own encrypted client (the store's side runs on both backends in tests/test_reminder_preferences.py
    and tests/test_overleg.py)."""
    people, clients = await at_their_clients(bot, meet_anywhere, WEEK_PEOPLE)
    number = await refer_a_case(Chat(bot.app))
    await plan_the_week(bot.app, number)
    await live_a_week(bot.app, clock, number, clients)
    for person in people:
        assert person.unencrypted == [] and person.unreadable == []
