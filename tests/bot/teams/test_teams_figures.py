"""The figures' chart on Teams (issue 20): after the text, an inline PNG with its text alternative. Channel
behaviour: on SQLite only."""

from __future__ import annotations

import base64

import pytest

from bot.charts import PNG_SIGNATURE
from tests.bot.teams.conftest import AAD, TeamsBot
from tests.conftest import link_address

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)


async def test_the_ketenmanager_gets_the_chart_inline_after_the_figures(teams_bot: TeamsBot) -> None:
    await link_address(teams_bot.app, "manager", "teams", AAD["manager"])
    before = len(teams_bot.connector.posted)
    text = await teams_bot.say("manager", "cijfers")
    assert "Kengetallen van" in text
    image = teams_bot.connector.posted[-1].activity
    assert len(teams_bot.connector.posted) == before + 2  # the figures, then the chart
    assert image["text"].startswith("Grafiek: Aanmeldingen per maand")
    (attachment,) = image["attachments"]
    assert attachment["contentType"] == "image/png"
    prefix = "data:image/png;base64,"
    assert attachment["contentUrl"].startswith(prefix)
    assert base64.b64decode(attachment["contentUrl"][len(prefix) :]).startswith(PNG_SIGNATURE)
