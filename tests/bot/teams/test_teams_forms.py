"""The identifying-details form card over Teams' wire protocol: shown after a referral, empty again after a wrong
attempt, replaced after sending, and never carrying (or echoing) what was typed."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from storage.models import CaseSubject
from tests.bot.teams.conftest import TeamsBot
from tests.bot.teams.shown import card_lines
from tests.bot.teams.test_teams_http import card_actions, last_card, press
from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST

TYPED = {"name": "Jan de Vries", "birth_date": "29-02-1980", "address": "Kerkstraat 12, 1234 AB Ergens"}


def inputs_of(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for element in card["body"] if element["type"].startswith("Input.")]


async def test_a_referral_in_teams_ends_with_a_form_card_that_is_sent_once(teams_bot: TeamsBot) -> None:
    answer = await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    assert "VH-2026-0001" in answer and "formulier hieronder" in answer
    card = last_card(teams_bot.connector, "subject")  # the procesregisseurs' notices may be posted after it
    assert [(item["type"], item["id"]) for item in inputs_of(card)] == [
        ("Input.Text", "name"),
        ("Input.Text", "birth_date"),
        ("Input.Text", "address"),
    ]
    assert all(item["isRequired"] and "value" not in item for item in inputs_of(card))
    # Typed, not picked (Teams' date input read a typed 29-02-1980 as 2 September on some clients): the card
    # checks the shape before sending, and says how to write it.
    born = inputs_of(card)[1]
    assert born["label"] == "Geboortedatum (dd-mm-jjjj)" and born["placeholder"] == "dd-mm-jjjj"
    assert born["regex"] and "29-02-1980" in born["errorMessage"]
    (send,) = card_actions(teams_bot.connector, "subject")
    assert send["verb"] == "subject"

    again = await press(teams_bot, "agent", send, {**TYPED, "birth_date": "01-01-2999", "name": "x"})
    assert [item["id"] for item in inputs_of(again)] == ["name", "birth_date", "address"]
    said = card_lines(again)
    assert "Gegevens betrokkene voor VH-2026-0001" in said  # still says which case it is for
    assert "• Naam: vul voor- en achternaam in." in said
    assert "• Geboortedatum: die ligt in de toekomst. Kijk het jaar na." in said
    assert not any(value in json.dumps(again) for value in ("Kerkstraat", "2999"))  # nothing typed comes back

    someone_else = await press(teams_bot, "regisseur", send, TYPED)
    assert "bestaat niet" in json.dumps(someone_else, ensure_ascii=False)
    sent = await press(teams_bot, "agent", send, TYPED)
    shown = json.dumps(sent, ensure_ascii=False)
    assert "ontvangen en versleuteld opgeslagen" in shown and sent["actions"] == []
    assert not any(value in shown for value in TYPED.values())
    assert "al verstuurd" in json.dumps(await press(teams_bot, "agent", send, TYPED), ensure_ascii=False)

    async with teams_bot.app.sessions() as session:
        stored = (await session.scalars(select(CaseSubject))).all()
    assert [(row.name, row.birth_date, row.address) for row in stored] == [
        ("Jan de Vries", "1980-02-29", "Kerkstraat 12, 1234 AB Ergens")  # the day meant, day first
    ]
    assert not any(value in posted.text for posted in teams_bot.connector.posted for value in TYPED.values())


async def test_the_procesregisseur_reads_the_details_in_the_card_once_and_hides_them(
    teams_bot: TeamsBot,
) -> None:
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    (send,) = card_actions(teams_bot.connector, "subject")
    await press(teams_bot, "agent", send, TYPED)
    await teams_bot.say("regisseur", "beoordeel VH-2026-0001", "accepteren", "Petra Regisseur")
    answer = await teams_bot.say("regisseur", "inzien VH-2026-0001")
    assert "kaart hieronder" in answer and "Jan de Vries" not in answer
    card = last_card(teams_bot.connector, "subject")
    assert inputs_of(card) == []
    (show,) = card["actions"]
    assert show["title"] == "Toon de gegevens"

    assert "bestaat niet" in json.dumps(await press(teams_bot, "agent", show, {}), ensure_ascii=False)
    shown = json.dumps(await press(teams_bot, "regisseur", show, {}), ensure_ascii=False)
    assert all(value in shown for value in ("Jan de Vries", "29-02-1980", "Kerkstraat 12, 1234 AB Ergens"))
    details = await press(teams_bot, "regisseur", show, {})
    assert "al gebruikt" in json.dumps(details, ensure_ascii=False)
    hide = next(action for action in json.loads(shown)["actions"] if action["verb"] == "hide")
    hidden = json.dumps(await press(teams_bot, "regisseur", hide, {}), ensure_ascii=False)
    assert "Gegevens verborgen" in hidden and "Jan de Vries" not in hidden
    assert not any(value in posted.text for posted in teams_bot.connector.posted for value in TYPED.values())
