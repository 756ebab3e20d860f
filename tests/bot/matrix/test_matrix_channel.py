"""The Matrix channel's promises, tried against a real Synapse: who may talk, what a shared room gets, and that
nothing is lost or handled twice across bot restarts, homeserver restarts, bursts and undecryptable messages."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from nio import Api, RoomSendResponse

from tests.bot.matrix.conftest import Meet, RunningBot
from tests.bot.matrix.homeserver import Homeserver
from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST

# What only the channel decides (shared rooms, undecryptable messages, a homeserver that goes away, gap filling)
# runs on one backend; what the store keeps across restarts (the sync cursor, handled messages) on both.
CHANNEL_ONLY = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)

UNKNOWN = "Dat begrijp ik niet"


@CHANNEL_ONLY
async def test_a_shared_room_gets_generic_help_and_no_case_content(bot: RunningBot, meet: Meet) -> None:
    agent, wijkteam = await meet("agent"), await meet("wijkteam")
    direct = await agent.open_direct_chat(bot.user_id)
    assert "VH-2026-0001" in await agent.ask(direct, *CHECK_THAT_FITS, "ja", *REFERRAL_REST)

    group = await agent.open_group(bot.user_id, wijkteam.user_id)
    await agent.wait_for_member(group, bot.user_id)
    await wijkteam.wait_for_member(group, wijkteam.user_id)
    await agent.drain()
    for text in ("status", "status VH-2026-0001", "acties", "check"):
        answer = await agent.ask(group, text)
        assert "privégesprek" in answer and "VH-2026" not in answer
    answer = await wijkteam.ask(group, "status VH-2026-0001")
    assert "privégesprek" in answer and "VH-2026" not in answer


async def test_invites_from_people_not_registered_are_declined(bot: RunningBot, meet: Meet) -> None:
    stranger = await meet("stranger")  # a Matrix account the store does not know
    created = await stranger.client.room_create(is_direct=True, invite=[bot.user_id])
    assert await stranger.wait_until_left(created.room_id, bot.user_id) == [stranger.user_id]
    assert await stranger.nothing_arrives(2.0)


@CHANNEL_ONLY  # resuming a stored dialogue on both backends: tests/bot/test_dispatcher.py
async def test_a_dialogue_survives_a_bot_restart(bot: RunningBot, meet: Meet) -> None:
    agent = await meet("agent")
    room = await agent.open_direct_chat(bot.user_id)
    await agent.ask(room, *CHECK_THAT_FITS[:4])
    await bot.restart()
    outcome = await agent.ask(room, *CHECK_THAT_FITS[4:])
    assert "past waarschijnlijk" in outcome


async def test_messages_sent_while_the_bot_is_down_are_answered_once(bot: RunningBot, meet: Meet) -> None:
    agent = await meet("agent")
    room = await agent.open_direct_chat(bot.user_id)
    await agent.ask(room, "help")
    await bot.stop()
    for n in range(5):
        await agent.say(room, f"onzin {n}")
    await bot.start()
    answers = [(await agent.receive())[1] for _ in range(5)]  # each, however long a busy machine takes
    assert all(UNKNOWN in answer for answer in answers)
    assert await agent.nothing_arrives(2.0)  # and none twice
    await bot.restart()  # a second restart replays nothing
    assert await agent.nothing_arrives(3.0)


@CHANNEL_ONLY
async def test_a_homeserver_restart_loses_no_message(
    bot: RunningBot, meet: Meet, homeserver: Homeserver
) -> None:
    agent = await meet("agent")
    room = await agent.open_direct_chat(bot.user_id)
    await agent.ask(room, "help")
    for n in range(3):
        await agent.say(room, f"onzin {n}")
    homeserver.stop()
    await asyncio.sleep(1.0)  # the bot's sync and sends fail meanwhile
    homeserver.start()
    for n in range(3, 6):
        await agent.say(room, f"onzin {n}")
    answers: list[str] = []
    while len(answers) < 6:
        answers.append((await agent.receive(60.0))[1])
    assert all(UNKNOWN in answer for answer in answers)
    assert await agent.nothing_arrives(3.0)


@pytest.mark.parametrize("settings", ["postgresql"], indirect=True)  # where several processes share the store
async def test_a_burst_of_200_messages_is_answered_message_by_message(bot: RunningBot, meet: Meet) -> None:
    """Half the burst arrives while the bot is down: with a sync timeline of 10 events, the rest of those 100
    only come back through gap filling."""
    await bot.stop()
    bot.app.settings.matrix_timeline_limit = 10
    await bot.start()
    agent = await meet("agent")
    room = await agent.open_direct_chat(bot.user_id)
    sent = [await agent.say(room, f"onzin {n}") for n in range(100)]
    await bot.stop()
    sent += [await agent.say(room, f"onzin {n}") for n in range(100, 200)]
    await bot.start()
    answered: list[str | None] = []
    while len(answered) < 200:
        _, body, event = await agent.receive(60.0)
        assert UNKNOWN in body
        relation = event["content"].get("m.relates_to", {}).get("m.in_reply_to", {})
        answered.append(relation.get("event_id"))
    assert await agent.nothing_arrives(3.0)
    threaded = Counter(event_id for event_id in answered if event_id)
    assert set(threaded) <= set(sent) and max(threaded.values(), default=1) == 1
    assert set(sent[100:199]) <= set(threaded)  # in a backlog each answer says which message it answers


@CHANNEL_ONLY
async def test_the_room_key_is_shared_once_for_many_messages(bot: RunningBot, meet: Meet) -> None:
    """A new Megolm session per message would cost a to-device message to each device every time: in a region's
    thousands of chats the homeserver's busiest work."""
    person = await meet("agent")
    room = await person.open_direct_chat(bot.user_id)
    for _ in range(3):
        assert "check" in await person.ask(room, "help")
    assert len(person.room_key_sessions) >= 3 and len(set(person.room_key_sessions)) == 1


async def test_an_undecryptable_message_is_explained_once(bot: RunningBot, meet: Meet) -> None:
    agent = await meet("agent")
    room = await agent.open_direct_chat(bot.user_id)
    await agent.ask(room, "help")
    bogus = {
        "algorithm": "m.megolm.v1.aes-sha2",
        "sender_key": "x" * 43,
        "ciphertext": "AwgAEnB" * 10,
        "session_id": "no-such-session",
        "device_id": agent.client.device_id,
    }
    for n in range(2):  # two messages of the same lost session: one explanation
        method, path, data = Api.room_send(
            agent.client.access_token, room, "m.room.encrypted", bogus, f"bogus-{n}"
        )
        await agent.client._send(RoomSendResponse, method, path, data, (room,))
    _, body, _ = await agent.receive(30.0)
    assert "niet lezen" in body and "Element" in body
    assert await agent.nothing_arrives(5.0)
    assert UNKNOWN in await agent.ask(room, "onzin")  # and the chat goes on
