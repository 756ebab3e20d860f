"""A name typed into a free-text answer: refused, offered back without it, and a registered colleague's let
through."""

from __future__ import annotations

from sqlalchemy import select

from storage import people
from storage.models import Dialogue, Feedback
from tests.conftest import Chat
from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST

CASE = "VH-2026-0001"


async def _feedback_begun(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await chat("agent", f"terugkoppeling {CASE}")


async def _stored(chat: Chat) -> tuple[list[str], list[str]]:
    async with chat.app.sessions() as session:
        feedback = list(await session.scalars(select(Feedback.body)))
        dialogues = [str(row.data) for row in await session.scalars(select(Dialogue))]
    return feedback, dialogues


async def test_a_name_is_offered_back_without_it_and_sent_on_yes(chat: Chat) -> None:
    await _feedback_begun(chat)
    reply = await chat("agent", "meneer Bakker wil geen hulp, zoon Mohammed spijbelt")
    assert "naam van een persoon" in reply and "niet opgeslagen" in reply
    assert "meneer [naam] wil geen hulp, zoon [naam] spijbelt" in reply and "Bakker" not in reply
    feedback, dialogues = await _stored(chat)
    assert feedback == [] and not any("Bakker" in row or "Mohammed" in row for row in dialogues)
    assert "zorgsignaal" in await chat("agent", "ja")
    await chat("agent", "nee")
    feedback, _ = await _stored(chat)
    assert feedback == ["meneer [naam] wil geen hulp, zoon [naam] spijbelt"]


async def test_no_or_a_new_text_after_the_offer_stores_nothing_of_the_name(chat: Chat) -> None:
    await _feedback_begun(chat)
    await chat("agent", "Jan Bakker drinkt weer")
    assert "niets opgeslagen" in await chat("agent", "nee")
    assert (await _stored(chat))[0] == []
    await chat("agent", "mw. De Vries belt niet terug")
    assert "zorgsignaal" in await chat("agent", "Betrokkene drinkt weer")  # read as the answer itself
    await chat("agent", "nee")
    assert (await _stored(chat))[0] == ["Betrokkene drinkt weer"]


async def test_registered_colleagues_and_organisations_are_no_clients_names(chat: Chat) -> None:
    await _feedback_begun(chat)
    reply = await chat("agent", "Gesproken met Ruben Regisseur en mevrouw Agent, en met Karin van Voorbeeld")
    assert "zorgsignaal" in reply
    await chat("agent", "nee")
    async with chat.app.sessions() as session, session.begin():
        ruben = await people.professional_by_handle(session, "regisseur2")
        assert ruben is not None
        ruben.active = False  # someone who left is no longer a colleague to let through
    await chat("agent", f"terugkoppeling {CASE}")
    assert "naam van een persoon" in await chat("agent", "Gesproken met Ruben Regisseur")
    assert "naam van een persoon" in await chat(
        "agent", "zoon Anna is weer thuis"
    )  # a relative, whatever name


async def test_a_name_with_other_identifying_data_is_refused_without_an_offer(chat: Chat) -> None:
    await _feedback_begun(chat)
    reply = await chat("agent", "meneer Bakker, bel 06-12345678")
    assert "telefoonnummer" in reply and "naam van een persoon" in reply and "[naam]" not in reply


async def test_the_offer_is_in_english_for_an_english_speaker(chat: Chat) -> None:
    await _feedback_begun(chat)
    async with chat.app.sessions() as session, session.begin():
        agent = await people.professional_by_handle(session, "agent")
        assert agent is not None
        agent.language = "en"
    reply = await chat("agent", "Kees Visser is not well, Mrs Jones says")
    assert "Shall I send it without the name" in reply and "Kees Visser" not in reply
    assert "[name] is not well, Mrs [name] says" in reply
