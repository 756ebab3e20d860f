"""Smoke: an encrypted direct chat with the bot answers help."""

from __future__ import annotations

import hashlib

from bot.channels.matrix.login import AVATAR_DIGEST
from config.definitions import load_definitions
from config.files import data_file
from config.settings import Settings
from tests.bot.matrix.conftest import Meet, RunningBot


async def test_help_in_an_encrypted_direct_chat(bot: RunningBot, meet: Meet) -> None:
    agent = await meet("agent")
    room = await agent.open_direct_chat(bot.user_id)
    answer = await agent.ask(room, "help")
    assert "check" in answer.lower()


async def test_the_bot_says_it_is_a_chatbot_in_its_name(bot: RunningBot, meet: Meet) -> None:
    """People should never wonder whether a person is typing: the account's name, from the region's
    configuration, ends in '(Chatbot)' (as healthcare messengers on Matrix require)."""
    agent = await meet("agent")
    shown = await agent.client.get_displayname(bot.user_id)
    expected = load_definitions().region.chatbot_name
    assert expected.endswith(" (Chatbot)") and shown.displayname == expected


async def test_every_chat_says_at_its_top_who_runs_the_bot(bot: RunningBot, meet: Meet) -> None:
    """A chat someone opens with the bot gets the topic that says it is a chatbot, who runs it and what for."""
    agent = await meet("agent")
    room = await agent.open_direct_chat(bot.user_id)
    await agent.ask(room, "help")  # by its answer, the bot has joined and set the topic
    region = load_definitions().region.name
    assert (
        agent.client.rooms[room].topic
        == f"Chatbot, beheerd door {region}: de check, aanmeldingen, acties en "
        "terugkoppeling rond casussen. Typ 'help'."
    )


async def test_the_bot_shows_the_regions_picture_and_keeps_which_it_set(
    bot: RunningBot, meet: Meet, settings: Settings
) -> None:
    """Beside its name, the picture of the region's configuration; its digest is kept beside the device, so a
    restart uploads it again only when the picture changed."""
    agent = await meet("agent")
    shown = await agent.client.get_avatar(bot.user_id)
    assert str(shown.avatar_url or "").startswith("mxc://")
    kept = settings.resolved_matrix_store_dir / AVATAR_DIGEST
    picture = data_file(load_definitions().region.avatar).read_bytes()
    assert kept.read_text() == hashlib.sha256(picture).hexdigest()
