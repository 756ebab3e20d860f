"""The figures' chart on Teams (issue 20): inside the figures' card, under the text, with its text alternative.
Channel behaviour: on SQLite only."""

from __future__ import annotations

import base64
import json

import pytest

from bot.charts import PNG_SIGNATURE
from tests.bot.teams.conftest import AAD, TeamsBot
from tests.conftest import link_address

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)


async def test_the_ketenmanager_gets_the_chart_inside_the_figures_card(teams_bot: TeamsBot) -> None:
    """Inside the card, as every Teams client (and the Playground) shows a card's image; an image attachment
    beside it is one the Playground does not show."""
    await link_address(teams_bot.app, "manager", "teams", AAD["manager"])
    before = len(teams_bot.connector.posted)
    text = await teams_bot.say("manager", "cijfers")
    assert "Kengetallen van" in text
    assert len(teams_bot.connector.posted) == before + 1  # one message: the figures with their chart
    activity = teams_bot.connector.posted[-1].activity
    card = teams_bot.connector.posted[-1].card
    assert card is not None
    *_, image = card["body"]
    assert image["type"] == "Image" and image["altText"].startswith("Grafiek: Aanmeldingen per maand")
    prefix = "data:image/png;base64,"
    assert image["url"].startswith(prefix)
    assert base64.b64decode(image["url"][len(prefix) :]).startswith(PNG_SIGNATURE)
    assert len(json.dumps(activity)) < 28_000  # what Teams takes in one bot message
