"""A restart of the bot does not ask the homeserver for the state of every room its account is in (a region has
thousands): each person's direct chat is kept in the store, and a room is loaded when it is written in or to.
Channel behaviour, not storage: on SQLite only (the store's side: tests/storage/test_matrix_rooms.py)."""

from __future__ import annotations

import asyncio
import uuid

from nio import JoinedRoomsResponse
from prometheus_client import REGISTRY
from sqlalchemy import delete

from bot.app import App
from config.definitions import load_definitions
from handlers.conversations.admission import JOIN_APPROVED
from storage import matrix_rooms, outbox, people
from storage.models import MatrixDirectRoom, OutboxStatus
from tests.bot.matrix.conftest import PASSWORD, Meet, RunningBot
from tests.bot.matrix.homeserver import Homeserver
from tests.bot.matrix.person import GREETING, Person
from tests.bot.matrix.test_matrix_trust import SQLITE_ONLY
from tests.conftest import link_address, set_active

WELCOME = "Welkom"


def rooms_loaded() -> float | None:
    return REGISTRY.get_sample_value("vhbot_matrix_rooms_loaded")


async def restarted_and_synced(bot: RunningBot) -> None:
    """Restarts the bot and waits for its first sync since."""
    await bot.restart()
    async with asyncio.timeout(60):
        while (
            bot.channel is None
            or bot.channel.connection is None
            or not bot.channel.connection.client.next_batch
        ):
            await asyncio.sleep(0.1)


async def notify(app: App, handle: str) -> None:
    """A notice for this demo professional, due now (the outbox finds or makes their direct chat)."""
    async with app.sessions() as session, session.begin():
        person = await people.professional_by_handle(session, handle)
        assert person is not None
        now = app.now()
        await outbox.enqueue(
            session, recipient_id=person.id, kind=JOIN_APPROVED, params={}, case_number=None,
            scheduled_at=now, now=now,
        )  # fmt: skip


async def talking(meet: Meet, bot: RunningBot, handle: str) -> tuple[Person, str]:
    """This demo professional at their client, in a direct chat with the bot that has answered them once."""
    person = await meet(handle)
    room = await person.open_direct_chat(bot.user_id)
    assert "check" in await person.ask(room, "help")
    return person, room


async def both_talking(meet: Meet, bot: RunningBot) -> tuple[tuple[Person, str], tuple[Person, str]]:
    """The agent and the procesregisseur, each in their own direct chat with the bot."""
    return await talking(meet, bot, "agent"), await talking(meet, bot, "regisseur")


async def kept(app: App, bot: RunningBot) -> dict[str, str]:
    async with app.sessions() as session:
        return await matrix_rooms.direct_rooms(session, bot.user_id)


@SQLITE_ONLY
async def test_after_a_restart_rooms_are_loaded_when_used_and_each_person_is_reached_in_their_own_chat(
    bot: RunningBot, meet: Meet, demo: App
) -> None:
    (agent, agent_room), (regisseur, regisseur_room) = await both_talking(meet, bot)
    assert await kept(demo, bot) == {agent.user_id: agent_room, regisseur.user_id: regisseur_room}

    await restarted_and_synced(bot)
    assert rooms_loaded() == 0  # no room's state was asked for
    await notify(demo, "agent")
    room, _, _ = await agent.expect(WELCOME)
    assert room == agent_room
    assert rooms_loaded() == 1
    assert "check" in await regisseur.ask(
        regisseur_room, "help"
    )  # answered in private: the help for a melder
    assert rooms_loaded() == 2
    assert agent.unencrypted == [] and regisseur.unencrypted == []


@SQLITE_ONLY
async def test_a_store_that_knows_no_direct_chat_gets_them_from_one_full_sync(
    bot: RunningBot, meet: Meet, demo: App
) -> None:
    agent, agent_room = await talking(meet, bot, "agent")
    async with demo.sessions() as session, session.begin():  # as a store from before the chats were kept
        await session.execute(delete(MatrixDirectRoom))

    await restarted_and_synced(bot)
    async with asyncio.timeout(30):  # stored after nio took the sync in, before the stored token moves on
        while not await kept(demo, bot):
            await asyncio.sleep(0.1)
    assert await kept(demo, bot) == {agent.user_id: agent_room}
    assert (rooms_loaded() or 0) >= 1
    await restarted_and_synced(bot)
    assert rooms_loaded() == 0


@SQLITE_ONLY
async def test_a_chat_the_bot_opened_is_used_again_after_a_restart_before_the_person_joined(
    bot: RunningBot, demo: App, homeserver: Homeserver
) -> None:
    away = homeserver.register(f"away-{uuid.uuid4().hex[:6]}", PASSWORD)
    await link_address(demo, "regisseur", "matrix", away)  # no client yet: the invite stays open
    await notify(demo, "regisseur")
    await sent(demo, 1)  # the chat is kept before the notice goes out: a restart in between would cut it off
    opened = (await kept(demo, bot))[away]

    await restarted_and_synced(bot)
    await notify(demo, "regisseur")
    await sent(demo, 2)
    assert bot.channel is not None and bot.channel.connection is not None
    joined = await bot.channel.connection.client.joined_rooms()
    assert joined.rooms == [opened]  # the same room, not a second one
    assert (await kept(demo, bot))[away] == opened


async def sent(app: App, count: int) -> None:
    """Waits until this many notices have been sent (the test clock stands still: a retry would never fall due)."""
    async with asyncio.timeout(60):
        while True:
            async with app.sessions() as session:
                if (await outbox.count_by_status(session)).get(OutboxStatus.SENT, 0) >= count:
                    return
            await asyncio.sleep(0.2)


@SQLITE_ONLY
async def test_a_direct_chat_that_became_a_group_while_the_bot_was_down_gets_no_more_notices(
    bot: RunningBot, meet: Meet, demo: App
) -> None:
    agent, agent_room = await talking(meet, bot, "agent")
    colleague = await meet("colleague")
    await bot.stop()
    await agent.client.room_invite(agent_room, colleague.user_id)
    await colleague.wait_for_member(agent_room, colleague.user_id)

    await bot.start()
    await notify(demo, "agent")
    room, _, _ = await agent.expect(WELCOME)
    assert room != agent_room
    assert (await kept(demo, bot))[agent.user_id] == room


async def joined(bot: RunningBot) -> list[str]:
    assert bot.channel is not None and bot.channel.connection is not None
    response = await bot.channel.connection.client.joined_rooms()
    assert isinstance(response, JoinedRoomsResponse), response
    return list(response.rooms)


@SQLITE_ONLY
async def test_the_bot_leaves_a_disabled_persons_chat_and_opens_a_new_one_once_they_are_back(
    bot: RunningBot, meet: Meet, demo: App
) -> None:
    (agent, agent_room), (regisseur, regisseur_room) = await both_talking(meet, bot)
    await set_active(demo, "agent", False)
    async with demo.sessions() as session, session.begin():  # the hardest start: the chats come from its sync
        await session.execute(delete(MatrixDirectRoom))

    await restarted_and_synced(bot)  # a process that begins to serve looks first
    async with asyncio.timeout(
        60
    ):  # the sync fills the table (after its token moved on), left, then the row goes
        while (rooms := await kept(demo, bot)).get(
            regisseur.user_id
        ) != regisseur_room or agent.user_id in rooms:
            await asyncio.sleep(0.2)
    assert await joined(bot) == [regisseur_room]
    assert await kept(demo, bot) == {regisseur.user_id: regisseur_room}

    await set_active(demo, "agent", True)
    await notify(demo, "agent")
    room, _, _ = await agent.expect(WELCOME)
    assert room != agent_room
    assert (await kept(demo, bot))[agent.user_id] == room
    assert "check" in await regisseur.ask(regisseur_room, "help")


@SQLITE_ONLY
async def test_notices_due_together_for_someone_without_a_chat_open_one_chat(
    bot: RunningBot, meet: Meet, demo: App
) -> None:
    """A plan gives someone an action and the next overleg at once: their notices fall due together, before the bot
    has any chat with them. They all arrive in one new chat, and the later ones go there too."""
    agent = await meet("agent")  # signed in, never wrote to the bot
    for _ in range(3):
        await notify(demo, "agent")
    greeting = await agent.receive(seconds=60)  # first of all, once: the bot says who it is
    arrived = [await agent.receive(seconds=60) for _ in range(3)]
    assert greeting[1].startswith(GREETING) and all("toegekend" in body for _, body, _ in arrived)
    assert len({room for room, _, _ in [greeting, *arrived]}) == 1
    bots_rooms = set(await joined(bot))
    with_agent = [room for room in agent.client.rooms if room in bots_rooms]
    assert len(with_agent) == 1, with_agent
    topic = agent.client.rooms[with_agent[0]].topic or ""  # a chat the bot opened says who runs it
    assert topic.startswith("Chatbot, beheerd door ") and load_definitions().region.name in topic
    assert (await kept(demo, bot))[agent.user_id] == with_agent[0]
    await notify(demo, "agent")
    room, _, _ = await agent.expect("toegekend")
    assert room == with_agent[0]
