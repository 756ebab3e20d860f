"""Every picker pressed on Teams picks what its label says. A button or choice set sends the option's key, often a
database id; the store's ids start far from 1 (tests/conftest.py ``ID_STARTS``), so a key read as a list position
would pick nothing, or someone else. Each test presses an option other than the first where options are ids, and checks what was stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import App
from bot.channels.unbroken import NON_BREAKING_HYPHEN
from storage import cases, joins, people
from storage.models import Action, CaseParticipant, Feedback, Invite, JoinRequest, JoinStatus, Professional
from tests.bot.teams.conftest import AAD, TeamsBot, personal
from tests.bot.teams.test_teams_http import press
from tests.conftest import link_address
from tests.handlers.conversations.test_change import two_actions
from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST


def _options(card: dict[str, Any]) -> list[tuple[str, str]]:
    """(title, key) of each option on a card: its buttons, or its choice set's entries."""
    buttons = [(a["title"], a["data"]["choice"]) for a in card["actions"] if "choice" in a.get("data", {})]
    sets = [item for item in card["body"] if item.get("type") == "Input.ChoiceSet"]
    return buttons or [(choice["title"], choice["value"]) for choice in (sets[0]["choices"] if sets else [])]


async def press_labelled(bot: TeamsBot, handle: str, label: str) -> str:
    """Press the option whose title holds ``label`` on the newest card with options in the person's chat, as
    Teams sends it (the key, never the title); the bot's answer, as one text."""
    card = next(
        posted.card
        for posted in reversed(bot.connector.posted)
        if posted.conversation == personal(handle) and posted.card and _options(posted.card)
    )
    options = _options(card)
    titles = [title.replace(NON_BREAKING_HYPHEN, "-") for title, _ in options]
    index = next((i for i, title in enumerate(titles) if label in title), None)
    assert index is not None, f"no option {label!r} among {titles}"
    key = options[index][1]
    before = len(bot.connector.posted)
    button = next((a for a in card["actions"] if a.get("data", {}).get("choice") == key), None)
    await press(bot, handle, button or card["actions"][0], None if button else {"choice": key})
    return "\n".join(posted.text for posted in bot.connector.posted[before:])


async def person(app: App, handle: str) -> Professional:
    async with app.sessions() as session:
        found = await people.professional_by_handle(session, handle)
    assert found is not None
    return found


async def test_intake_gives_the_case_to_the_procesregisseur_whose_name_was_pressed(
    teams_bot: TeamsBot,
) -> None:
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await teams_bot.say("regisseur", "beoordeel VH-2026-0001", "accepteren")
    assert "geaccepteerd" in await press_labelled(teams_bot, "regisseur", "Ruben Regisseur")
    async with teams_bot.app.sessions() as session:
        case = await cases.by_number(session, "VH-2026-0001")
    assert case is not None and case.procesregisseur_id == (await person(teams_bot.app, "regisseur2")).id


async def test_an_invite_is_for_the_organisation_whose_name_was_pressed(teams_bot: TeamsBot) -> None:
    await link_address(teams_bot.app, "manager", "teams", AAD["manager"])
    await teams_bot.say("manager", "uitnodiging")
    made = await press_labelled(teams_bot, "manager", "Woonstichting Voorbeeld")
    assert "Woonstichting Voorbeeld" in made
    async with teams_bot.app.sessions() as session:
        invite = await session.scalar(select(Invite))
        assert invite is not None
        organisation = await people.organisation_by_id(session, invite.organisation_id)
    assert organisation.name == "Woonstichting Voorbeeld"


async def test_the_participant_pressed_is_the_one_removed(teams_bot: TeamsBot) -> None:
    number = await two_actions(teams_bot.say)
    await teams_bot.say("regisseur", f"deelnemers {number}", "iemand toevoegen", "reclassering", "ja")
    await teams_bot.say("regisseur", f"deelnemers {number}", "iemand verwijderen")
    assert "Rik Reclassering" in await press_labelled(teams_bot, "regisseur", "Rik Reclassering")
    assert "neemt niet meer deel" in await press_labelled(teams_bot, "regisseur", "ja")
    rik = await person(teams_bot.app, "reclassering")
    async with teams_bot.app.sessions() as session:
        left = set(await session.scalars(select(CaseParticipant.professional_id)))
    assert rik.id not in left and (await person(teams_bot.app, "ggz")).id in left  # Gerda stays


async def test_the_action_pressed_is_the_one_changed_and_the_one_an_update_is_about(
    teams_bot: TeamsBot,
) -> None:
    number = await two_actions(teams_bot.say)
    await teams_bot.say("regisseur", f"wijzig {number}")
    await press_labelled(teams_bot, "regisseur", "Schuldhulp regelen")
    await press_labelled(teams_bot, "regisseur", "omschrijving wijzigen")
    await teams_bot.say("regisseur", "Schuldhulp aanvragen", "ja")
    await teams_bot.say("agent", f"terugkoppeling {number}")
    await press_labelled(teams_bot, "agent", "Schuldhulp aanvragen")
    await teams_bot.say("agent", "Afspraak gemaakt", "nee")
    async with teams_bot.app.sessions() as session:
        actions = {action.seq: action for action in await session.scalars(select(Action))}
        update = await session.scalar(select(Feedback))
    assert [actions[1].description, actions[2].description] == ["Huisbezoek afleggen", "Schuldhulp aanvragen"]
    assert update is not None and update.action_id == actions[2].id


async def test_the_join_request_pressed_is_the_one_decided(teams_bot: TeamsBot) -> None:
    async with teams_bot.app.sessions() as session, session.begin():
        organisation = await people.organisation_named(session, "Wijkteam Amersfoort-Noord")
        assert organisation is not None
        for address, name in (("aad-first", "Eerste Nieuwkomer"), ("aad-second", "Tweede Nieuwkomer")):
            request = await joins.offer(session, "teams", address, name, organisation.id, teams_bot.app.now())
            request.status = JoinStatus.PENDING
    await link_address(teams_bot.app, "manager", "teams", AAD["manager"])
    await teams_bot.say("manager", "verzoeken")
    await press_labelled(teams_bot, "manager", "Tweede Nieuwkomer")
    await teams_bot.say("manager", "toelaten")
    async with teams_bot.app.sessions() as session:
        decided = {r.address: r.status for r in await session.scalars(select(JoinRequest))}
    assert decided == {"aad-first": JoinStatus.PENDING, "aad-second": JoinStatus.APPROVED}
