"""The canary over Matrix: a real ``vhbot serve`` process (its own logging, not the test clients') at DEBUG, the
professionals at their own encrypted clients. What they type reaches the store only encrypted, and nothing the
process logs at any level carries it (matrix-nio logs every sync and decryption at DEBUG)."""

from __future__ import annotations

from pathlib import Path

from bot.app import App
from tests.bot.matrix.homeserver import Homeserver
from tests.bot.matrix.person import Person
from tests.bot.matrix.test_matrix_processes import (  # noqa: F401 - the fixture stops the process
    Process,
    bot_account,
    processes,
    professional_at_matrix,
)
from tests.bot.test_delivery_processes import store  # noqa: F401 - the PostgreSQL store fixture
from tests.seeding import assert_nowhere_in_clear, seed_every_field


async def test_markers_sent_over_matrix_are_nowhere_in_clear(
    store: App,  # noqa: F811
    homeserver: Homeserver,
    processes: list[Process],  # noqa: F811
    tmp_path: Path,
) -> None:
    bot, env = bot_account(
        store,
        homeserver,
        tmp_path,
        VHBOT_SEND_ON_NON_WORKING_DAYS="true",
        VHBOT_LOG_LEVEL="DEBUG",
        VHBOT_RATE_MESSAGES_PER_MINUTE="1000",  # one person types the whole seeding within a minute
    )
    serving = Process(env, tmp_path / "serve.log")
    processes.append(serving)
    await serving.says("this process now serves")
    people: dict[str, tuple[Person, str]] = {}

    async def say(handle: str, *texts: str) -> str:
        if handle not in people:
            person = await professional_at_matrix(store, homeserver, handle, tmp_path)
            people[handle] = (person, await person.open_direct_chat(bot))
        person, room = people[handle]
        return await person.ask(room, *texts)

    try:
        markers = await seed_every_field(say, store)
    finally:
        for person, _ in people.values():
            await person.stop()
    logs = serving.log.read_text()
    assert " DEBUG nio" in logs, "the process did not log at DEBUG: the log check would prove nothing"
    await assert_nowhere_in_clear(store, markers, logs)
