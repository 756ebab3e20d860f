"""The stricter Matrix settings, on the real homeserver: devices trusted only from a list, and invites only from
allowed homeservers. Channel behaviour, not storage: on SQLite only."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from nio import MatrixRoom, MegolmEvent

from bot.app import App
from storage import invites, people
from tests.bot.matrix.conftest import Meet, RunningBot
from tests.seeding import registered_by_email


@asynccontextmanager
async def bot_with(demo: App, **changes: Any) -> AsyncIterator[RunningBot]:
    """The bot as ``vhbot serve`` runs it, with these Matrix settings changed."""
    running = RunningBot(dataclasses.replace(demo, settings=demo.settings.model_copy(update=changes)))
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


SQLITE_ONLY = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)


@SQLITE_ONLY
async def test_with_a_device_list_only_listed_devices_can_read_the_answers(demo: App, meet: Meet) -> None:
    agent, regisseur = await meet("agent"), await meet("regisseur")
    unreadable: asyncio.Queue[tuple[str, str]] = asyncio.Queue()

    async def withheld(room: MatrixRoom, event: MegolmEvent) -> None:
        if event.sender != regisseur.user_id:
            await unreadable.put((room.room_id, event.sender))

    regisseur.client.add_event_callback(withheld, MegolmEvent)
    listed = [f"{agent.user_id} {agent.client.device_id}"]
    async with bot_with(demo, matrix_device_trust="list", matrix_trusted_devices=listed) as bot:
        agent_room = await agent.open_direct_chat(bot.user_id)
        assert "aanmelden" in await agent.ask(agent_room, "help")

        regisseur_room = await regisseur.open_direct_chat(bot.user_id, greeted=False)
        await regisseur.say(regisseur_room, "help")
        # The bot's greeting and its answer arrive (the person sees that something came), without the keys.
        assert await asyncio.wait_for(unreadable.get(), 20) == (regisseur_room, bot.user_id)
        assert await regisseur.nothing_arrives(2.0)


@SQLITE_ONLY
async def test_invites_from_homeservers_not_allowed_are_declined(demo: App, meet: Meet) -> None:
    agent = await meet("agent")  # registered, on the test homeserver
    server = agent.user_id.partition(":")[2]
    async with bot_with(demo, matrix_allowed_homeservers=["elders.example"]) as bot:
        created = await agent.client.room_create(is_direct=True, invite=[bot.user_id])
        assert await agent.wait_until_left(created.room_id, bot.user_id) == [agent.user_id]
    async with bot_with(demo, matrix_allowed_homeservers=["elders.example", server]) as bot:
        room = await agent.open_direct_chat(bot.user_id)
        assert "aanmelden" in await agent.ask(room, "help")


@SQLITE_ONLY
async def test_on_named_homeservers_a_newcomer_gets_in_with_an_invite_code(demo: App, meet: Meet) -> None:
    stranger = await meet("stranger")  # a Matrix account the store does not know, on the test homeserver
    server = stranger.user_id.partition(":")[2]
    async with demo.sessions() as session, session.begin():
        organisation = await people.organisation_named(session, "GGZ Voorbeeld")
        assert organisation is not None
        code = await invites.new(
            session, organisation.id, 1, demo.now() + timedelta(days=1), demo.now(), "test"
        )
    async with bot_with(demo, matrix_allowed_homeservers=[server]) as bot:
        room = await stranger.open_direct_chat(bot.user_id)  # let in: the homeserver is named
        assert "niet aangemeld" in await stranger.ask(room, "help")
        assert "u bent aangemeld als melder bij GGZ Voorbeeld" in await stranger.ask(room, code)
        assert "aanmelden" in await stranger.ask(room, "help")


async def set_homeserver(demo: App, organisation: str, server: str) -> None:
    async with demo.sessions() as session, session.begin():
        found = await people.organisation_named(session, organisation)
        assert found is not None
        found.matrix_server = server


@SQLITE_ONLY
async def test_someone_on_an_organisations_homeserver_asks_to_join_and_is_welcomed(
    demo: App, meet: Meet
) -> None:
    """Issue 20 on the real homeserver: the bot takes the invite of someone it does not know because their
    homeserver is an organisation's, they ask to join, a procesregisseur admits them in their own chat, and the
    welcome arrives in the newcomer's room."""
    stranger, regisseur = await meet("stranger"), await meet("regisseur")
    await set_homeserver(demo, "GGZ Voorbeeld", stranger.user_id.partition(":")[2])
    async with bot_with(demo) as bot:
        regisseur_room = await regisseur.open_direct_chat(bot.user_id)
        assert "verzoeken" in await regisseur.ask(regisseur_room, "help")
        room = await stranger.open_direct_chat(bot.user_id)  # let in: the homeserver is GGZ's
        assert "U kunt toegang vragen als melder" in await stranger.ask(room, "hallo")
        assert "is verstuurd" in await stranger.ask(room, "1")
        await regisseur.expect("Verzoek om toegang")
        assert "is nu melder bij GGZ Voorbeeld" in await regisseur.ask(regisseur_room, "toelaten")
        await stranger.expect("uw verzoek om toegang is toegekend")
        assert "aanmelden" in await stranger.ask(room, "help")


@SQLITE_ONLY
async def test_someone_registered_by_email_is_linked_on_their_organisations_homeserver(
    demo: App, meet: Meet
) -> None:
    stranger = await meet("stranger")
    local_part, _, server = stranger.user_id.removeprefix("@").partition(":")
    await set_homeserver(demo, "GGZ Voorbeeld", server)
    await registered_by_email(demo, "GGZ Voorbeeld", f"{local_part}@ggz.example", "new-ggz", "Gijs Nieuw")
    async with bot_with(demo) as bot:
        room = await stranger.open_direct_chat(bot.user_id)
        assert "Welkom, Gijs Nieuw: uw chataccount is gekoppeld" in await stranger.ask(room, "hallo")
        assert "aanmelden" in await stranger.ask(room, "help")
