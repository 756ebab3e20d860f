"""Bad input, strangers, shared rooms, restarts, expiry and a store that is down: always a polite answer."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import build_app
from bot.channels.terminal import TerminalChannel, TerminalSender
from bot.delivery import DeliveryEngine
from bot.dispatcher import Identity
from config.settings import Settings
from handlers.dates.clock import FixedClock
from handlers.dialogue.messages import Incoming
from handlers.plain_text import clean
from storage import people
from storage.models import Case, Dialogue, Feedback
from tests.conftest import Chat, link_address
from tests.test_reminders import plan_one_action
from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST, refer_a_case


async def test_unknown_and_disabled_people_get_one_polite_line(chat: Chat) -> None:
    assert "niet aangemeld" in await chat("nobody", "status")
    async with chat.app.sessions() as session, session.begin():
        person = await people.professional_by_handle(session, "agent")
        assert person is not None
        person.active = False
    reply = await chat("agent", "help")
    assert "niet aangemeld" in reply and "check" not in reply


async def test_shared_conversations_get_no_case_content(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    for text in ("status VH-2026-0001", "help", "intake", "check"):
        incoming = Incoming(text=text, conversation="room:team", private=False, channel="terminal")
        replies = await chat.app.dispatcher.handle(Identity("terminal", "regisseur"), incoming)
        assert len(replies) == 1 and "privégesprek" in replies[0].text
        assert "VH-2026" not in replies[0].text and "Hulpverlening" not in replies[0].text


async def test_empty_long_and_unknown_input_get_a_hint(chat: Chat) -> None:
    assert "leeg bericht" in await chat("agent", "   ")
    assert "te lang" in await chat("agent", "x" * 5000)
    assert "Typ 'help'" in await chat("agent", "goedemorgen")


async def test_an_empty_line_inside_a_dialogue_shows_its_open_question_again(chat: Chat) -> None:
    """Off the book: someone presses enter, or sends a space, halfway through the check; the question is shown
    again (not 'typ help'), and answering it goes on where they were."""
    asked = await chat("agent", "check", "nee")
    assert "huiselijk geweld" in asked.lower()
    again = await chat("agent", " ")
    assert "leeg bericht" in again and "staat nog open" in again and "huiselijk geweld" in again.lower()
    assert "Typ 'help'" not in again
    helped = await chat("agent", "help")  # help in a dialogue: what the bot can do, then the question again
    assert "midden in een gesprek" in helped and helped.lower().rindex("huiselijk geweld") > helped.index(
        "midden"
    )
    assert "psychische stoornis" in await chat("agent", "nee")  # answered: the check goes on where it was


def test_control_and_direction_override_characters_are_removed() -> None:
    assert clean("sta\x00tus\u202e\u200b ") == "status"
    assert clean("\ud800ok") == "?ok"


async def test_an_invalid_choice_repeats_the_question(chat: Chat) -> None:
    reply = await chat("agent", "check", "misschien")
    assert "geen van de mogelijke antwoorden" in reply and "acuut gevaar" in reply
    assert "huiselijk geweld" in await chat("agent", "2")


async def test_an_invalid_answer_to_a_menu_shows_its_options_again(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await chat("regisseur", "beoordeel VH-2026-0001")
    reply = await chat("regisseur", "misschien")
    assert "geen van de mogelijke antwoorden" in reply
    assert "1. accepteren" in reply and "4. later beoordelen" in reply
    assert "geaccepteerd" in await chat("regisseur", "1", "1")


async def test_stop_leaves_the_dialogue_and_stores_nothing(chat: Chat) -> None:
    await chat("agent", "aanmelden", "1", "persoon")
    assert "Gestopt" in await chat("agent", "stop")
    async with chat.app.sessions() as session:
        assert (await session.execute(select(func.count(Case.id)))).scalar_one() == 0
        assert (await session.execute(select(func.count(Dialogue.id)))).scalar_one() == 0


async def test_a_restart_mid_dialogue_resumes_where_the_person_was(
    chat: Chat, settings: Settings, clock: FixedClock
) -> None:
    await chat("agent", "aanmelden", "1", "persoon")
    await chat.app.close()
    restarted = build_app(settings, clock)
    try:
        reply = await Chat(restarted)("agent", "1, 2")
        assert "Welke ketens zijn nodig?" in reply
    finally:
        await restarted.close()


async def test_a_stale_dialogue_expires(chat: Chat, clock: FixedClock) -> None:
    await chat("agent", "check")
    clock.advance(timedelta(days=2))
    assert "verlopen" in await chat("agent", "nee")


async def test_a_notices_question_left_unanswered_ends_without_a_word(chat: Chat, clock: FixedClock) -> None:
    """Someone who never began answering a notice (an update to read) is not told that 'their conversation'
    expired when they write days later."""
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("agent", f"terugkoppeling {number}", "Huisbezoek afgesproken", "nee")
    engine = DeliveryEngine(
        chat.app, [TerminalSender(TerminalChannel(chat.app.dispatcher, "regisseur"), io.StringIO())]
    )
    while await engine.deliver_due():
        pass
    clock.advance(timedelta(days=2))
    reply = await chat("regisseur", "help")
    assert "Wat ik kan" in reply and "verlopen" not in reply


async def test_another_job_sets_an_open_dialogue_aside_and_verder_takes_it_up_again(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS[:5])  # the check, at its fifth question
    reply = await chat("agent", "status")
    assert reply.startswith("U was bezig met de check, vraag 5 van 11; dat gesprek wacht even.")
    assert "nog geen aanmeldingen" in reply
    assert reply.endswith(
        "U was bezig met de check, vraag 5 van 11: typ 'verder' om door te gaan, of 'stop' om het te laten."
    )
    again = await chat("agent", "verder")
    assert again.startswith("Verder met de check, vraag 5 van 11:") and "afglijden" in again
    outcome = await chat("agent", *CHECK_THAT_FITS[5:])
    assert "past waarschijnlijk" in outcome  # the answers given before the interruption still count
    assert "Er wacht geen gesprek" in await chat("agent", "stop", "verder")


async def test_stop_stops_the_dialogue_set_aside_too(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS[:3], "status")
    assert "Gestopt" in await chat("agent", "stop")
    assert "Er wacht geen gesprek" in await chat("agent", "verder")
    async with chat.app.sessions() as session:
        assert (await session.execute(select(func.count(Dialogue.id)))).scalar_one() == 0


async def test_a_dialogue_set_aside_goes_stale_like_any_other(chat: Chat, clock: FixedClock) -> None:
    await chat("agent", *CHECK_THAT_FITS[:3], "status")
    clock.advance(timedelta(days=2))
    assert "Er wacht geen gesprek" in await chat("agent", "verder")


async def test_the_button_of_a_card_set_aside_continues_its_dialogue(chat: Chat) -> None:
    agent = Identity("terminal", "agent")
    card = await chat.app.dispatcher.handle(agent, Incoming("check", "terminal:agent", True, "terminal"))
    question = card[-1].question
    assert question is not None
    await chat("agent", "status")  # the check is set aside
    pressed = Incoming("nee", "terminal:agent", True, "terminal", answers=question)
    replies = await chat.app.dispatcher.handle(agent, pressed)
    assert "huiselijk geweld" in replies[-1].text  # the check's second question
    assert "Er wacht geen gesprek" in await chat("agent", "verder")


async def test_identifying_data_in_free_text_is_refused_and_not_stored(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await chat("agent", "terugkoppeling VH-2026-0001")
    reply = await chat("agent", "Moeder bereikbaar op 06-12345678, BSN 111222333")
    assert "telefoonnummer" in reply and "BSN" in reply
    assert "06-12345678" not in reply
    async with chat.app.sessions() as session:
        assert (await session.execute(select(func.count(Feedback.id)))).scalar_one() == 0
    assert "Verwijder ook uw bericht" not in reply  # the terminal keeps no history to delete from


async def test_on_matrix_identifying_data_also_gets_a_request_to_delete_the_message(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await link_address(chat.app, "agent", "matrix", "@agent:example.org")
    agent = Identity("matrix", "@agent:example.org")
    for text in ("terugkoppeling VH-2026-0001", "Bereikbaar via jan@example.org"):
        incoming = Incoming(text=text, conversation="!dm:example.org", private=True, channel="matrix")
        replies = await chat.app.dispatcher.handle(agent, incoming)
    assert "e-mailadres" in replies[0].text and "Verwijder ook uw bericht" in replies[1].text


async def test_impossible_and_past_dates_are_asked_again(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await chat("regisseur", "beoordeel VH-2026-0001", "accepteren", "1")
    await chat("regisseur", "plan VH-2026-0001", "Huisbezoek", "agent")
    assert "bestaat niet" in await chat("regisseur", "31 februari")
    assert "verleden" in await chat("regisseur", "1-1-2020")
    assert "meerdere dagen" in await chat("regisseur", "volgende week")
    assert "Klopt dat?" in await chat("regisseur", "vrijdag")
    assert "opnieuw" in await chat("regisseur", "nee")


async def test_a_store_that_is_down_gives_try_again_later(clock: FixedClock, tmp_path: object) -> None:
    settings = Settings(database_url="postgresql+asyncpg://postgres@127.0.0.1:1/none")
    app = build_app(settings, clock)
    try:
        incoming = Incoming(text="status", conversation="t", private=True, channel="terminal")
        replies = await asyncio.wait_for(app.dispatcher.handle(Identity("terminal", "agent"), incoming), 30)
        assert [reply.text for reply in replies] == [
            (
                "Het lukt nu even niet om uw bericht te verwerken. Probeer het over een paar minuten opnieuw; "
                "er is niets opgeslagen."
            )
        ]
    finally:
        await app.close()


async def test_a_dialogue_set_aside_goes_stale_from_when_it_was_set_aside(
    chat: Chat, clock: FixedClock
) -> None:
    await chat("agent", *CHECK_THAT_FITS[:3], "status")
    for _ in range(3):  # chatting on meanwhile does not keep it fresh
        clock.advance(timedelta(hours=5))
        await chat("agent", "help")
    assert "Er wacht geen gesprek" in await chat("agent", "verder")


async def test_a_list_that_only_offers_to_act_leaves_nothing_open_when_something_else_is_started(
    chat: Chat,
) -> None:
    """'acties' lists and offers to pick one; someone who reads it and goes on to something else has left no
    dialogue behind: nothing is set aside and no later reply says 'U was bezig met uw acties'."""
    await plan_one_action(chat, "vrijdag 4 december 14:00")
    assert "Uw open acties (1)" in await chat("agent", "acties")
    other = await chat("agent", "status")
    assert "bezig met" not in other and "verder" not in other
    assert "Er wacht geen gesprek om mee verder te gaan" in await chat("agent", "verder")
    assert "bezig met" not in await chat("agent", "help")
    await chat("regisseur", "status")  # the procesregisseur's menu is a view as well
    assert "bezig met" not in await chat("regisseur", "acties")


async def test_a_list_to_pick_from_is_left_without_a_word_for_what_was_picked_elsewhere(chat: Chat) -> None:
    """'intake' shows the waiting referrals; typing 'beoordeel VH-…' instead of a number leaves nothing half-way,
    so nothing is said to wait and nothing offers to go on with the list afterwards."""
    number = await refer_a_case(chat)
    assert number in await chat("regisseur", "intake")
    review = await chat("regisseur", f"beoordeel {number}")
    assert "Wat is uw besluit?" in review and "wacht even" not in review
    decided = await chat("regisseur", "accepteren", "Petra Regisseur")
    assert "geaccepteerd" in decided and "verder" not in decided
