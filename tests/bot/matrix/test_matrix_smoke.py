"""Smoke: an encrypted direct chat with the bot answers help."""

from __future__ import annotations

from tests.bot.matrix.conftest import Meet, RunningBot


async def test_help_in_an_encrypted_direct_chat(bot: RunningBot, meet: Meet) -> None:
    agent = await meet("agent")
    room = await agent.open_direct_chat(bot.user_id)
    answer = await agent.ask(room, "help")
    assert "check" in answer.lower()
