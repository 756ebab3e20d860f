"""The canary over Teams' wire protocol: what professionals type (in chat and in the form card) reaches the store
and the kept answers only encrypted, and no log record at any level carries it (the SDK, aiohttp and SQLAlchemy
log at DEBUG too)."""

from __future__ import annotations

import logging

import pytest

from tests.bot.teams.conftest import TeamsBot
from tests.bot.teams.test_teams_http import card_actions, press
from tests.seeding import assert_nowhere_in_clear, seed_every_field


async def test_markers_sent_over_teams_are_nowhere_in_clear(
    teams_bot: TeamsBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    markers = await seed_every_field(teams_bot.say, teams_bot.app)
    # The details again, through the form card this time (by the procesregisseur: the agent has a draft open).
    await teams_bot.say("regisseur", "gegevens VH-2026-0001")
    (send,) = card_actions(teams_bot.connector, "subject")
    assert "ontvangen" in str(await press(teams_bot, "regisseur", send, markers.subject()))
    await assert_nowhere_in_clear(teams_bot.app, markers, caplog.text)
    logging.getLogger("tests.canary").debug("probe")
    assert "probe" in caplog.text, "DEBUG records are not captured: the log check would prove nothing"
