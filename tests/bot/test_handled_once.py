"""A message a channel delivers twice is handled once; an answer never sent is kept and returned again."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.app import App, build_app
from bot.dispatcher import Identity
from config.definitions import load_definitions
from handlers.dates.clock import FixedClock
from handlers.dialogue.messages import Incoming
from storage.models import Dialogue
from tests.conftest import link_address, store_held

CHANNEL = "matrix"


async def _as_matrix_user(app: App, handle: str) -> Identity:
    await link_address(app, handle, CHANNEL, f"@{handle}:localhost")
    return Identity(CHANNEL, f"@{handle}:localhost")


def _message(text: str, event_id: str) -> Incoming:
    return Incoming(text, "!room:localhost", private=True, channel=CHANNEL, message_id=event_id)


async def test_a_redelivered_message_is_not_handled_again(demo: App) -> None:
    agent = await _as_matrix_user(demo, "agent")
    first = await demo.dispatcher.handle(agent, _message("check", "$1"))
    assert "acuut gevaar" in first[-1].text
    # Not sent yet (the process stopped): the same answer comes back, and the dialogue did not move on.
    again = await demo.dispatcher.handle(agent, _message("check", "$1"))
    assert again == first
    assert [m for m, _, _ in await demo.dispatcher.unanswered(CHANNEL)] == ["$1"]
    await demo.dispatcher.delivered(CHANNEL, "$1")
    assert await demo.dispatcher.handle(agent, _message("check", "$1")) == []
    assert await demo.dispatcher.unanswered(CHANNEL) == []
    first_question = load_definitions().criteria.questions[0].key
    assert await _open_questions(demo) == [first_question]
    # The next, new message answers the first question: the check was started once, not restarted.
    await demo.dispatcher.handle(agent, _message("nee", "$2"))
    assert await _open_questions(demo) != [first_question]


async def test_a_copy_handled_by_another_process_at_the_same_moment_gets_the_first_answer(
    demo: App, clock: FixedClock
) -> None:
    """Two processes given the same message at once (a retry reaching another process while the first still
    works on it): both handle it, one records it, the other's handling is rolled back and it answers as the
    first did. Both wait until the store is let go, so they overlap."""
    agent = await _as_matrix_user(demo, "agent")
    other = build_app(demo.settings, clock)
    try:
        async with store_held(demo):
            handling = [
                asyncio.create_task(app.dispatcher.handle(agent, _message("check", "$1")))
                for app in (demo, other)
            ]
            await asyncio.sleep(0.5)
            assert not any(task.done() for task in handling)
        first, copy = await asyncio.gather(*handling)
    finally:
        await other.close()
    assert "acuut gevaar" in first[-1].text and copy == first
    assert [m for m, _, _ in await demo.dispatcher.unanswered(CHANNEL)] == ["$1"]
    assert await _open_questions(demo) == [
        load_definitions().criteria.questions[0].key
    ]  # one check, begun once


async def _open_questions(app: App) -> list[str]:
    """The question each stored check is at."""
    async with app.sessions() as session:
        return [data["state"]["question"] for data in await session.scalars(select(Dialogue.data))]
