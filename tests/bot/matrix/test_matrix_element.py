"""What an Element user does that a single-device test client does not: a second device of the same person
(Element on the laptop and on the phone). Both are matrix-js-sdk clients with the Rust crypto Element uses.
Channel behaviour, not storage: on SQLite only."""

from __future__ import annotations

from tests.bot.matrix.conftest import PASSWORD, MeetAtElement, RunningBot
from tests.bot.matrix.element import ElementPerson
from tests.bot.matrix.homeserver import Homeserver
from tests.bot.matrix.test_matrix_trust import SQLITE_ONLY


@SQLITE_ONLY
async def test_a_device_added_later_reads_the_answers_too(
    bot: RunningBot, meet_at_element: MeetAtElement, homeserver: Homeserver
) -> None:
    laptop = await meet_at_element("agent")
    room = await laptop.open_direct_chat(bot.user_id)
    assert "check" in await laptop.ask(room, "help")

    # Trust on first use: the bot has already shared its keys with the laptop; the phone appears afterwards.
    phone = ElementPerson(homeserver.url, laptop.user_id)
    await phone.start(PASSWORD)
    try:
        assert phone.device_id != laptop.device_id
        await laptop.drain()
        await laptop.say(room, "help")
        on_laptop = await laptop.replies()
        on_phone = [(await phone.receive())[1] for _ in on_laptop]
        assert on_phone == on_laptop
        assert phone.unencrypted == [] and phone.unreadable == []
    finally:
        await phone.stop()
