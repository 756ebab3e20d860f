"""The canary: unique markers typed into every free-text field through the terminal channel appear nowhere in
the raw database (SQLite files, PostgreSQL dump) nor in any log record, at any level, while the bot reads them
back fine. The Teams path has its own canary in tests/bot/teams; both share tests/seeding.py."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import Chat
from tests.seeding import assert_nowhere_in_clear, seed_every_field


async def test_markers_typed_in_chat_are_nowhere_in_clear(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    markers = await seed_every_field(chat, chat.app)
    await assert_nowhere_in_clear(chat.app, markers, caplog.text)
    logging.getLogger("tests.canary").debug("probe")
    assert "probe" in caplog.text, "DEBUG records are not captured: the log check would prove nothing"
