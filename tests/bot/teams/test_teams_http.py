"""The Teams endpoint over HTTP, as Teams calls it: activities in, the bot's answers posted to a local Bot
Connector; conversation kinds, cards and their buttons, proactive sends and the errors Teams answers with."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import pytest
from microsoft_agents.activity import Activity
from sqlalchemy import func, select

from bot.app import App
from bot.channels.teams.door import CHANNEL
from bot.channels.teams.render import note_card
from bot.dispatcher import Identity
from handlers.dates.clock import FixedClock
from handlers.reminders import ANSWERABLE
from storage import invites, people, teams
from storage.models import InboundMessage, OutboxStatus, PendingMessage, Professional, TeamsConversation
from tests.bot.teams.conftest import AAD, BOT_ID, TENANT, TeamsBot, personal
from tests.bot.teams.connector import FakeConnector
from tests.bot.teams.test_teams_auth import handled
from tests.conftest import AMSTERDAM, store_held
from tests.test_scenario import CHECK_THAT_FITS, PLAN_ONE_ACTION, REFERRAL_REST


def last_card(connector: FakeConnector, verb: str | None = None) -> dict[str, Any]:
    """The last card posted, or the last one with a button of ``verb`` (a notice the delivery engine sends
    meanwhile, to anyone, may come after the answer looked for)."""
    for posted in reversed(connector.posted):
        card = posted.card
        if card is not None and (verb is None or any(a.get("verb") == verb for a in card["actions"])):
            return card
        assert verb is not None, "the last message carries no card"
    raise AssertionError(f"no card with a {verb!r} button was posted")


def card_actions(connector: FakeConnector, verb: str | None = None) -> list[dict[str, Any]]:
    return list(last_card(connector, verb)["actions"])


async def press(
    bot: TeamsBot, handle: str, action: dict[str, Any], inputs: dict[str, str] | None = None
) -> Any:
    """Teams' invoke for an Action.Execute button; returns the card that replaces the pressed one."""
    value = {
        "action": {
            "type": "Action.Execute",
            "verb": action["verb"],
            "data": {**action["data"], **(inputs or {})},
        }
    }
    activity = bot.activity(handle, type="invoke", name="adaptiveCard/action", value=value)
    async with bot.http.post(bot.url, json=activity) as response:
        assert response.status == 200
        body = await response.json()
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    return body["value"]


async def test_personal_chat_answers_in_cards_of_inert_text_and_keeps_the_reference(
    teams_bot: TeamsBot,
) -> None:
    answer = await teams_bot.say("agent", "help")
    assert "aanmelden" in answer
    for posted in teams_bot.connector.posted:
        assert posted.card is not None and not posted.activity.get("text")  # no text bubble beside the card
        assert {block["type"] for block in posted.card["body"]} == {"RichTextBlock"}  # never Markdown
        assert posted.activity["summary"] == "Nieuw bericht van vhbot"  # what a notification shows
    assert teams_bot.connector.posted[0].conversation == personal("agent")
    async with teams_bot.app.sessions() as session:
        row = await session.get(TeamsConversation, "aaaaaaaa-0000-0000-0000-000000000001")
    assert row is not None and row.reachable and row.tenant_id == TENANT
    assert row.reference["conversation"]["id"] == personal("agent")


async def test_a_reference_that_changed_is_kept_again(teams_bot: TeamsBot) -> None:
    """Each message's reference is compared with the one kept; the next message in another language, or under a
    new name, is written anew (notices go by the kept reference)."""
    await teams_bot.say("agent", "help")
    await teams_bot.say("agent", "help")
    renamed = {"id": "29:agent", "aadObjectId": AAD["agent"], "name": "Ann"}
    for change, kept in (({"locale": "en-US"}, ("agent", "en-US")), ({"from": renamed}, ("Ann", "nl-NL"))):
        await teams_bot.post(teams_bot.activity("agent", "help", **change))
        async with teams_bot.app.sessions() as session:
            row = await session.get(TeamsConversation, AAD["agent"])
        assert row is not None and (row.reference["user"]["name"], row.reference["locale"]) == kept


async def test_group_chats_and_channels_get_a_pointer_and_no_case_content(teams_bot: TeamsBot) -> None:
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    for kind, conversation in (("groupChat", "19:group@thread.v2"), ("channel", "19:general@thread.tacv2")):
        before = len(teams_bot.connector.posted)
        for typed in ("status VH-2026-0001", "status", "acties", "check"):
            answer = await teams_bot.say("regisseur", typed, kind=kind, conversation=conversation)
            assert "persoonlijke chat" in answer
            assert "VH-2026" not in answer
        assert {p.conversation for p in teams_bot.connector.posted[before:]} == {conversation}
        assert not any(p.card for p in teams_bot.connector.posted[before:])


async def test_only_an_explicit_personal_teams_chat_is_private(teams_bot: TeamsBot) -> None:
    """A group posted without a conversation type, or any channel but Teams itself, gets the pointer only, and
    its conversation never becomes the person's stored reference for proactive messages."""
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await teams_bot.say("regisseur", "help")  # the personal chat: its reference is kept
    async with teams_bot.app.sessions() as session:
        kept = await teams.reference_of(session, AAD["regisseur"])
    assert kept is not None
    untyped_group = {"id": "19:untyped@thread.v2", "isGroup": True, "tenantId": TENANT}
    no_type = {"id": "a:no-type", "tenantId": TENANT}
    for conversation, channel_id in ((untyped_group, "msteams"), (no_type, "msteams"), (no_type, "webchat")):
        before = len(teams_bot.connector.posted)
        activity = teams_bot.activity("regisseur", "status VH-2026-0001")
        activity.update(channelId=channel_id, conversation=conversation)
        assert (await teams_bot.post(activity)).status in (200, 202)
        # Only the answers in this conversation: the new referral's notice may reach the personal chat meanwhile.
        answers = [
            p.text for p in teams_bot.connector.posted[before:] if p.conversation == conversation["id"]
        ]
        assert answers and all("persoonlijke chat" in text and "VH-2026" not in text for text in answers)
    async with teams_bot.app.sessions() as session:
        still = await teams.reference_of(session, AAD["regisseur"])
    assert still is not None and still.reference == kept.reference


async def test_installing_greets_and_keeps_the_reference_uninstalling_marks_unreachable(
    teams_bot: TeamsBot,
) -> None:
    # Teams sends both at installation; only one greeting may come of it.
    added = teams_bot.activity("regisseur", type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    await teams_bot.post(added)
    await teams_bot.post(teams_bot.activity("regisseur", type="installationUpdate", action="add"))
    assert [p.conversation for p in teams_bot.connector.posted] == [personal("regisseur")]
    assert "aanmelden" in teams_bot.connector.posted[0].text
    user = "aaaaaaaa-0000-0000-0000-000000000002"
    async with teams_bot.app.sessions() as session:
        row = await session.get(TeamsConversation, user)
        assert row is not None and row.reachable
    await teams_bot.post(teams_bot.activity("regisseur", type="installationUpdate", action="remove"))
    async with teams_bot.app.sessions() as session:
        row = await session.get(TeamsConversation, user)
        assert row is not None and not row.reachable
    assert len(teams_bot.connector.posted) == 1


async def test_strangers_and_other_tenants_get_one_line(teams_bot: TeamsBot) -> None:
    assert "(nog) niet aangemeld" in await teams_bot.say("stranger", "status")
    other = teams_bot.activity("agent", "status")
    other["conversation"]["tenantId"] = other["channelData"]["tenant"]["id"] = (
        "99999999-0000-0000-0000-000000000000"
    )
    teams_bot.app.settings.teams_allowed_tenants.append(TENANT)
    try:
        before = len(teams_bot.connector.posted)
        await teams_bot.post(other)
        assert [p.text for p in teams_bot.connector.posted[before:]] == [
            "Deze bot is niet beschikbaar voor uw organisatie."
        ]
    finally:
        teams_bot.app.settings.teams_allowed_tenants.clear()
    async with teams_bot.app.sessions() as session:
        assert await session.get(TeamsConversation, "aaaaaaaa-0000-0000-0000-00000000dead") is None


async def test_a_card_button_answers_once_and_typing_still_works(teams_bot: TeamsBot) -> None:
    await teams_bot.say("agent", "check")
    first = card_actions(teams_bot.connector)
    assert [action["title"] for action in first] == ["ja", "nee"]
    assert all(action["type"] == "Action.Execute" and action["data"]["question"] for action in first)

    before = len(teams_bot.connector.posted)
    replaced = await press(teams_bot, "agent", first[1])
    assert replaced["actions"] == [] and "Beantwoord: nee" in note_text(replaced)
    assert "huiselijk geweld" in teams_bot.connector.posted[before].text.lower()  # the next question followed

    # The same button again (a second device, a double click): the question has moved on, nothing happens.
    before = len(teams_bot.connector.posted)
    stale = await press(teams_bot, "agent", first[0])
    assert "niet meer open" in note_text(stale) and stale["actions"] == []
    assert len(teams_bot.connector.posted) == before

    # Typing the answer instead of pressing works just the same.
    assert "psychische stoornis" in await teams_bot.say("agent", "nee")


async def test_a_multiple_choice_question_is_a_choice_set(teams_bot: TeamsBot) -> None:
    await teams_bot.say("agent", "check", "nee", "nee", "nee")
    card = teams_bot.connector.posted[-1].card
    assert card is not None
    choice_set = card["body"][-1]  # under the question's lines, in the same card
    assert choice_set["type"] == "Input.ChoiceSet" and choice_set["isMultiSelect"] is True
    assert choice_set["style"] == "expanded" and choice_set["choices"][0]["title"].startswith("1. ")
    before = len(teams_bot.connector.posted)
    replaced = await press(teams_bot, "agent", card["actions"][0], {"choice": "wonen,financien"})
    assert "Beantwoord:" in note_text(replaced)
    assert "crimineel of overlastgevend" in teams_bot.connector.posted[before].text  # both picks were taken


async def test_an_activity_is_read_from_its_body_once(
    teams_bot: TeamsBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The endpoint checks the activity before the SDK sees it; the SDK is given that activity, not the body to
    read and validate a second time."""
    bodies_read: list[object] = []
    validate = Activity.model_validate

    def counted(body: object, *args: Any, **kwargs: Any) -> Activity:
        if isinstance(body, dict):
            bodies_read.append(body)
        return validate(body, *args, **kwargs)

    monkeypatch.setattr(Activity, "model_validate", counted)
    assert "acuut gevaar" in await teams_bot.say("agent", "check")
    assert len(bodies_read) == 1


async def test_a_message_delivered_twice_is_answered_once(teams_bot: TeamsBot) -> None:
    activity = teams_bot.activity("agent", "check")
    await teams_bot.post(activity)
    answered = len(teams_bot.connector.posted)
    await teams_bot.post(activity)
    assert len(teams_bot.connector.posted) == answered
    async with teams_bot.app.sessions() as session:
        assert await session.scalar(select(func.count(InboundMessage.id))) == 1


async def test_answers_of_many_turns_and_proactive_sends_share_one_connection(teams_bot: TeamsBot) -> None:
    """The SDK makes a client per turn; ours share a pool, so the next turn's answer does not open another
    connection (in production: another TLS handshake with Microsoft before every reply)."""
    await teams_bot.say("regisseur", "help")
    await teams_bot.say("regisseur", "status")
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await wait_for_text(teams_bot.connector, "Nieuwe aanmelding VH-2026-0001")
    peers = {posted.peer for posted in teams_bot.connector.posted}
    assert len(teams_bot.connector.posted) > 10
    assert None not in peers and len(peers) == 1, peers


async def test_proactive_messages_reach_the_personal_chat(teams_bot: TeamsBot) -> None:
    await teams_bot.say("regisseur", "help")  # first contact: the bot may write first from now on
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    posted = await wait_for_text(teams_bot.connector, "Nieuwe aanmelding VH-2026-0001")
    assert posted.conversation == personal("regisseur")


async def wait_for_text(connector: FakeConnector, fragment: str, seconds: float = 10.0) -> Any:
    async with asyncio.timeout(seconds):
        while True:
            for posted in connector.posted:
                if fragment in posted.text:
                    return posted
            await asyncio.sleep(0.05)


async def outbox_row(app: App, kind: str, handle: str = "regisseur") -> PendingMessage:
    async with app.sessions() as session:
        row = await session.scalar(
            select(PendingMessage)
            .join(Professional, Professional.id == PendingMessage.recipient_id)
            .where(PendingMessage.kind == kind, Professional.handle == handle)
        )
    assert row is not None
    return row


async def sent_to(app: App, handle: str, kinds: Collection[str], seconds: float = 10.0) -> None:
    """Until a notice of one of ``kinds`` is recorded as sent to this person."""
    query = (
        select(PendingMessage.id)
        .join(Professional, Professional.id == PendingMessage.recipient_id)
        .where(
            PendingMessage.kind.in_(kinds),
            Professional.handle == handle,
            PendingMessage.status == OutboxStatus.SENT,
        )
    )
    async with asyncio.timeout(seconds):
        while True:
            async with app.sessions() as session:
                if await session.scalar(query.limit(1)) is not None:
                    return
            await asyncio.sleep(0.05)


async def question_opened(bot: TeamsBot, handle: str, seconds: float = 10.0) -> None:
    """Until a question is open in the person's personal chat (a notice's, once its send is recorded)."""
    identity = Identity(CHANNEL, AAD[handle])
    async with asyncio.timeout(seconds):
        while not await bot.app.dispatcher.open_questions(identity, personal(handle)):
            await asyncio.sleep(0.05)


async def test_blocked_or_removed_marks_the_address_unreachable(teams_bot: TeamsBot) -> None:
    await teams_bot.say("regisseur", "help")
    teams_bot.connector.fail[personal("regisseur")] = (403, {})
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    async with asyncio.timeout(10):
        while (await outbox_row(teams_bot.app, "new_referral")).status is OutboxStatus.PENDING:
            await asyncio.sleep(0.1)
    row = await outbox_row(teams_bot.app, "new_referral")
    assert row.status is OutboxStatus.FAILED and "teams" in row.failed_channels
    async with teams_bot.app.sessions() as session:
        reference = await session.get(TeamsConversation, "aaaaaaaa-0000-0000-0000-000000000002")
    assert reference is not None and not reference.reachable

    # Writing to the bot again (the app reinstalled, unblocked) makes the person reachable again.
    del teams_bot.connector.fail[personal("regisseur")]
    await teams_bot.say("regisseur", "help")
    async with teams_bot.app.sessions() as session:
        reference = await session.get(TeamsConversation, "aaaaaaaa-0000-0000-0000-000000000002")
    assert reference is not None and reference.reachable


async def test_throttled_sends_wait_and_arrive(teams_bot: TeamsBot) -> None:
    await teams_bot.say("regisseur", "help")
    teams_bot.connector.fail[personal("regisseur")] = (429, {"Retry-After": "1"})
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    async with asyncio.timeout(10):
        while (await outbox_row(teams_bot.app, "new_referral")).attempts == 0:
            await asyncio.sleep(0.05)
    del teams_bot.connector.fail[personal("regisseur")]
    await wait_for_text(teams_bot.connector, "Nieuwe aanmelding VH-2026-0001")
    async with asyncio.timeout(10):  # the engine records the outcome just after the send
        while (row := await outbox_row(teams_bot.app, "new_referral")).status is OutboxStatus.PENDING:
            await asyncio.sleep(0.05)
    assert row.status is OutboxStatus.SENT and row.channel == "teams"


async def test_someone_who_never_opened_the_chat_is_not_reachable_on_teams(teams_bot: TeamsBot) -> None:
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    async with asyncio.timeout(10):
        while (await outbox_row(teams_bot.app, "new_referral")).status is OutboxStatus.PENDING:
            await asyncio.sleep(0.1)
    row = await outbox_row(teams_bot.app, "new_referral")
    assert row.status is OutboxStatus.FAILED and row.failed_channels == ["teams"]
    assert not any(p.conversation == personal("regisseur") for p in teams_bot.connector.posted)


async def test_a_slow_answer_is_acknowledged_within_the_window_and_follows(teams_bot: TeamsBot) -> None:
    teams_bot.app.settings.teams_reply_window_seconds = 0.3
    await teams_bot.say("agent", "help")
    async with store_held(teams_bot.app):
        loop = asyncio.get_running_loop()
        started = loop.time()
        answer = await teams_bot.say("agent", "status")
        acknowledged_after = loop.time() - started
        await asyncio.sleep(1.0)
    assert "bezig" in answer and acknowledged_after < 1.0
    posted = await wait_for_text(teams_bot.connector, "aanmelding", seconds=10)
    assert posted.conversation == personal("agent")


def note_text(card: dict[str, Any]) -> str:
    """The lines of a card that has nothing left to press (an answered question keeps its own lines above the
    answer), each as shown."""
    assert card["actions"] == []
    lines = []
    for block in card["body"]:
        assert block["type"] == "RichTextBlock"  # a TextBlock would render Markdown
        lines.append("".join(run["text"] for run in block["inlines"]))
    return "\n".join(lines)


def test_a_note_shows_typed_text_as_it_is() -> None:
    typed = "Bel **nu** [hier](https://example.org)"
    assert note_text(note_card(f"Beantwoord: {typed}")) == f"Beantwoord: {typed}"


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        None,
        "just text",
        {"type": "message", "text": ["kanariemalformed"], "channelId": "msteams"},
        {"type": "message", "text": "status", "channelId": "msteams", "conversation": {"id": "x"}},
    ],
    ids=["empty object", "array", "null", "string", "text not a string", "no serviceUrl"],
)
async def test_a_malformed_activity_gets_400_and_the_log_names_only_the_kind_of_error(
    teams_bot: TeamsBot, body: object, caplog: pytest.LogCaptureFixture
) -> None:
    before = await handled(teams_bot.app)
    async with teams_bot.http.post(teams_bot.url, json=body) as response:
        assert response.status == 400
    assert teams_bot.connector.posted == []
    assert await handled(teams_bot.app) == before
    assert "kanariemalformed" not in caplog.text and "input_value" not in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_an_answer_typed_instead_of_pressed_closes_the_card_in_place(teams_bot: TeamsBot) -> None:
    await teams_bot.say("agent", "check")
    question = len(teams_bot.connector.posted) - 1
    card_id = f"activity-{question}"  # the id the stand-in answered that post with
    await teams_bot.say("agent", "status")  # not an answer: the card stays as it is (its check waits)
    assert card_id not in teams_bot.connector.updated
    await teams_bot.say("agent", "verder")
    (again,) = teams_bot.connector.updated[card_id]["attachments"]  # its options now stand in the new card
    assert note_text(again["content"]).endswith(
        "acuut gevaar voor iemand?\nDeze vraag staat hieronder opnieuw."
    )
    reopened = f"activity-{len(teams_bot.connector.posted) - 1}"
    assert "huiselijk geweld" in await teams_bot.say("agent", "nee")
    (replaced,) = teams_bot.connector.updated[reopened]["attachments"]
    # As after a press: the question stays, with the answer under it, and nothing is left to press.
    assert note_text(replaced["content"]).endswith("acuut gevaar voor iemand?\nBeantwoord: nee")


async def test_a_newcomer_from_the_tenant_joins_with_an_invite_code(teams_bot: TeamsBot) -> None:
    app = teams_bot.app
    async with app.sessions() as session, session.begin():
        organisation = await people.organisation_named(session, "Wijkteam Amersfoort-Noord")
        assert organisation is not None
        code = await invites.new(
            session, organisation.id, 1, app.now() + timedelta(days=1), app.now(), "test"
        )
    assert "niet aangemeld" in await teams_bot.say("stranger", "status")
    assert "Welkom, stranger: u bent aangemeld als melder" in await teams_bot.say("stranger", code)
    assert "aanmelden" in await teams_bot.say("stranger", "help")  # and the chat is theirs from now on
    async with app.sessions() as session:
        assert await session.get(TeamsConversation, AAD["stranger"]) is not None


def pressable(connector: FakeConnector) -> list[str]:
    """The lines of every card in the chat that still has something to press (as replaced in place, if it was)."""
    live = []
    for index, posted in enumerate(connector.posted):
        replaced = connector.updated.get(f"activity-{index}")
        card = replaced["attachments"][0]["content"] if replaced else posted.card
        if card and card["actions"]:
            live.append(posted.text)
    return live


async def test_a_wrong_answer_is_told_once_and_only_the_newest_card_can_be_pressed(
    teams_bot: TeamsBot,
) -> None:
    await teams_bot.say("agent", "check")
    first = f"activity-{len(teams_bot.connector.posted) - 1}"
    wrong = await teams_bot.say("agent", "misschien")
    assert "geen van de mogelijke antwoorden" in wrong and wrong.count("acuut gevaar") == 1
    (closed,) = teams_bot.connector.updated[first]["attachments"]
    assert note_text(closed["content"]).endswith(
        "acuut gevaar voor iemand?\nDeze vraag staat hieronder opnieuw."
    )
    # Told once, just above the question asked again: the options stand once, in the newest card.
    assert pressable(teams_bot.connector) == ["Is er nu acuut gevaar voor iemand?"]
    assert "huiselijk geweld" in await teams_bot.say("agent", "nee")


async def test_stop_closes_the_open_card_and_keeps_its_question(teams_bot: TeamsBot) -> None:
    await teams_bot.say("agent", "check", "nee")
    asked = f"activity-{len(teams_bot.connector.posted) - 1}"
    await teams_bot.say("agent", "stop")
    (closed,) = teams_bot.connector.updated[asked]["attachments"]
    assert note_text(closed["content"]).endswith("kindermishandeling?\nDeze vraag staat niet meer open.")
    assert pressable(teams_bot.connector) == []


async def test_a_reminder_answered_by_typing_keeps_its_action_and_deadline(
    teams_bot: TeamsBot, clock: FixedClock
) -> None:
    await teams_bot.say("agent", "help")  # the personal chat exists: the bot may write first
    await teams_bot.say("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await teams_bot.say("regisseur", "beoordeel VH-2026-0001", "accepteren", "Petra Regisseur")
    await teams_bot.say("regisseur", "plan VH-2026-0001", *PLAN_ONE_ACTION)
    # Two working days before the deadline (Friday 4 December on the tests' clock), 09:00: the reminder.
    clock.advance(datetime(2026, 12, 2, 9, 1, tzinfo=AMSTERDAM) - clock.now())
    reminder = await wait_for_text(teams_bot.connector, "moet uiterlijk")
    await sent_to(teams_bot.app, "agent", ANSWERABLE)
    await question_opened(teams_bot, "agent")  # its question opens when the send is recorded
    card_id = f"activity-{teams_bot.connector.posted.index(reminder)}"
    assert "staat op gedaan" in await teams_bot.say("agent", "gedaan")
    (closed,) = teams_bot.connector.updated[card_id]["attachments"]
    lines = note_text(closed["content"])
    assert (
        "Huisbezoek afleggen" in lines and "moet uiterlijk" in lines and lines.endswith("Beantwoord: gedaan")
    )
