"""The Teams channel's turns in the Agents SDK's in-memory TestAdapter (microsoft-agents-testing): activities go
straight to the channel's ``on_turn`` and what it sends is captured, without HTTP or a Bot Connector, so whole
dialogues through cards run in a fraction of a second. The wire itself (HTTP, tokens, proactive sends, Teams'
error codes) is test_teams_http's."""

from __future__ import annotations

from typing import Any

import pytest
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ChannelId,
    ConversationAccount,
    ConversationReference,
    InvokeResponse,
)
from microsoft_agents.testing import TestAdapter

from bot.app import App
from bot.channels.teams.channel import CARD_ACTION, TeamsChannel
from bot.channels.teams.render import CARD_TYPE
from tests.bot.teams.conftest import AAD, BOT_ID, TENANT
from tests.bot.teams.shown import shown_text
from tests.bot.teams.test_teams_http import note_text
from tests.conftest import Chat
from tests.scripts import check_answers
from tests.test_scenario import PLAN_ONE_ACTION, refer_a_case

# The check answered with its cards: buttons where there are a few options, the choice set where several
# may be picked (its keys, comma-separated). The keys lead to "fits", the route of tests.scripts.FITS; the last
# question is answered on its own below.
CHECK_BY_CARD = [answer.replace(", ", ",") for _, answer in check_answers()[:-1]]


class TeamsChat:
    """One person's Teams conversation of one kind (personal, groupChat, channel), in its own TestAdapter."""

    def __init__(self, channel: TeamsChannel, handle: str, kind: str = "personal") -> None:
        self.channel = channel
        self.adapter = TestAdapter(
            conversation=ConversationReference(
                channel_id=ChannelId("msteams"),
                service_url="https://smba.trafficmanager.net/emea/",
                user=ChannelAccount(id=f"29:{handle}", name=handle, aad_object_id=AAD[handle]),
                agent=ChannelAccount(id=BOT_ID, name="vhbot"),
                conversation=ConversationAccount(
                    id=f"a:{kind}-{handle}",
                    conversation_type=kind,
                    tenant_id=TENANT,
                    is_group=kind != "personal",
                ),
            )
        )

    async def _turn(self, activity: Activity) -> list[Activity]:
        before = len(self.adapter.activity_queue)
        await self.adapter.process_activity(self.adapter.claims_identity, activity, self.channel.on_turn)
        return self.adapter.activity_queue[before:]

    async def type(self, text: str) -> list[Activity]:
        return await self._turn(self.adapter.create_activity(text))

    async def press(
        self, action: dict[str, Any], inputs: dict[str, str] | None = None
    ) -> tuple[str, list[Activity]]:
        """An Action.Execute button (Teams' ``adaptiveCard/action`` invoke): the text of the card that replaces the
        pressed one, and the messages that follow."""
        data = {**action["data"], **(inputs or {})}
        value = {"action": {"type": "Action.Execute", "verb": action["verb"], "data": data}}
        response, *messages = await self._turn(
            Activity(type=ActivityTypes.invoke, name=CARD_ACTION, value=value)
        )
        assert response.type == ActivityTypes.invoke_response
        assert isinstance(response.value, InvokeResponse) and isinstance(response.value.body, dict)
        return note_text(response.value.body["value"]), messages


def text_of(activity: Activity) -> str:
    """What the person reads of it: its text, or its card's lines."""
    return shown_text(activity.model_dump(mode="json", by_alias=True, exclude_none=True))


def card_of(activity: Activity) -> dict[str, Any]:
    (attachment,) = activity.attachments or []
    assert attachment.content_type == CARD_TYPE and isinstance(attachment.content, dict)
    return attachment.content


async def answer_by_card(chat: TeamsChat, question: Activity, key: str) -> list[Activity]:
    """Press the button for ``key``, or pick the keys in the choice set and press its one button."""
    card = card_of(question)
    if card["body"] and card["body"][-1]["type"] == "Input.ChoiceSet":
        offered = {choice["value"] for choice in card["body"][-1]["choices"]}
        assert set(key.split(",")) <= offered, (key, offered)
        _, following = await chat.press(card["actions"][0], {"choice": key})
        return following
    (button,) = [action for action in card["actions"] if action["data"]["choice"] == key]
    shown, following = await chat.press(button)
    assert shown.endswith(f": {button['data']['labels'][key]}"), shown
    return following


@pytest.fixture
def teams_channel(on_teams: App) -> TeamsChannel:
    return TeamsChannel(on_teams)


async def test_the_whole_check_is_answered_with_the_cards(teams_channel: TeamsChannel) -> None:
    chat = TeamsChat(teams_channel, "agent")
    (question,) = await chat.type("check")
    for key in CHECK_BY_CARD:
        *_, question = await answer_by_card(chat, question, key)
    # The last question has four options, one of them too long for a button on a phone: a choice set that
    # lists them all, numbered.
    (choice_set,) = [item for item in card_of(question)["body"] if item["type"] == "Input.ChoiceSet"]
    assert choice_set["style"] == "expanded" and choice_set["wrap"] is True
    assert [choice["title"] for choice in choice_set["choices"]][-1] == "4. nog niet"
    outcome, offer = await answer_by_card(chat, question, "nog_niet")
    assert "Uitkomst: past waarschijnlijk" in text_of(outcome) and not card_of(outcome)["actions"]
    assert [action["title"] for action in card_of(offer)["actions"]] == ["ja", "nee"]


async def test_cards_speak_the_persons_language(teams_channel: TeamsChannel) -> None:
    chat = TeamsChat(teams_channel, "agent")
    await chat.type("language en")
    (question,) = await chat.type("check")
    (no,) = [action for action in card_of(question)["actions"] if action["data"]["choice"] == "nee"]
    assert no["title"] == "no"
    shown, (following,) = await chat.press(no)
    assert shown.endswith("right now?\nAnswered: no") and "domestic violence" in text_of(following)
    *_, areas = await answer_by_card(chat, following, "nee")
    *_, areas = await answer_by_card(chat, areas, "nee")
    choice_set = card_of(areas)["body"][-1]
    assert choice_set["placeholder"] == "Choose…" and card_of(areas)["actions"][0]["title"] == "Send"


@pytest.mark.parametrize("kind", ["groupChat", "channel"])
async def test_outside_the_personal_chat_a_button_changes_nothing(
    teams_channel: TeamsChannel, kind: str
) -> None:
    personal = TeamsChat(teams_channel, "agent")
    (question,) = await personal.type("check")
    shared = TeamsChat(teams_channel, "agent", kind)
    shown, following = await shared.press(card_of(question)["actions"][0])
    assert "persoonlijke chat" in shown
    assert following == []
    # The dialogue in the personal chat is where it was: its first question is still the open one.
    shown, _ = await personal.press(card_of(question)["actions"][1])
    assert shown.endswith("acuut gevaar voor iemand?\nBeantwoord: nee")


async def test_a_stranger_typing_or_pressing_gets_one_polite_line(teams_channel: TeamsChannel) -> None:
    stranger = TeamsChat(teams_channel, "stranger")
    (answer,) = await stranger.type("check")
    assert "niet aangemeld" in text_of(answer) and not card_of(answer)["actions"]


async def test_a_case_is_escalated_and_closed_with_the_cards_and_a_button_acts_once(
    teams_channel: TeamsChannel,
) -> None:
    terminal = Chat(teams_channel.app)
    number = await refer_a_case(terminal)
    await terminal("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await terminal("regisseur", f"plan {number}", *PLAN_ONE_ACTION)
    chat = TeamsChat(teams_channel, "regisseur")

    (menu,) = await chat.type(f"casus {number}")
    (why,) = await answer_by_card(chat, menu, "escalate")
    assert "Waarom schaalt u" in text_of(why)
    (to_whom,) = await chat.type("Afspraken worden niet nagekomen")
    (confirm,) = await answer_by_card(chat, to_whom, "ketenmanager")
    assert "opschalen naar de ketenmanager?" in text_of(confirm)
    (done,) = await answer_by_card(chat, confirm, "ja")
    assert "opgeschaald naar de ketenmanager" in text_of(done)
    (yes,) = [action for action in card_of(confirm)["actions"] if action["data"]["choice"] == "ja"]
    shown, _ = await chat.press(yes)  # the same button once more (a second device, a double click)
    assert "niet meer open" in shown or "no longer open" in shown

    (menu,) = await chat.type(f"casus {number}")
    (reasons,) = await answer_by_card(chat, menu, "close")
    (confirm,) = await answer_by_card(chat, reasons, "doel_bereikt")
    assert "Deze open actie wordt dan geannuleerd" in text_of(confirm)
    (closed,) = await answer_by_card(chat, confirm, "ja")
    assert "afgesloten (doel bereikt)" in text_of(closed)
    assert "geen open acties" in (await terminal("agent", "acties")).lower()


async def test_a_button_of_a_dialogue_set_aside_still_answers_it(teams_channel: TeamsChannel) -> None:
    chat = TeamsChat(teams_channel, "agent")
    (question,) = await chat.type("check")
    status = await chat.type("status")
    assert "wacht even" in text_of(status[0]) and "typ 'verder'" in text_of(status[-1])
    (no,) = [action for action in card_of(question)["actions"] if action["data"]["choice"] == "nee"]
    shown, (following,) = await chat.press(no)
    assert shown.endswith("acuut gevaar voor iemand?\nBeantwoord: nee") and "huiselijk geweld" in text_of(
        following
    )


async def test_teams_asks_for_a_press_where_other_channels_ask_for_a_number(
    teams_channel: TeamsChannel, chat: Chat
) -> None:
    teams = TeamsChat(teams_channel, "agent")
    await teams.type("check")
    told = "\n".join(text_of(activity) for activity in await teams.type("misschien"))
    assert "Druk op een knop" in told and "nummer" not in told
    await teams.type("nee")
    await teams.type("nee")
    areas = "\n".join(text_of(activity) for activity in await teams.type("nee"))
    assert "aanvinken" in areas and "1, 3, 4" not in areas  # a choice set is ticked, not typed as numbers
    await chat("wijkteam", "check")
    assert "nummer" in await chat("wijkteam", "misschien")  # the terminal lists numbered options
