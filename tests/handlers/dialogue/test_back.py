"""'terug' in every multi-step dialogue: the question before, as it was asked, with the answer to it undone."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Action
from tests.conftest import Chat
from tests.scripts import check_script
from tests.test_scenario import refer_a_case


async def test_the_check_goes_back_one_question_at_a_time_and_takes_the_new_answer(chat: Chat) -> None:
    first = await chat("agent", "check")
    assert "verder terug kan niet" in await chat("agent", "terug")  # at the first question
    second = await chat("agent", "nee")
    assert "huiselijk geweld" in second
    back = await chat("agent", "terug")
    assert "vorige vraag" in back and "acuut gevaar" in back and first.splitlines()[-1] in back
    assert "huiselijk geweld" in await chat("agent", "nee")  # answered again, on it goes
    await chat("agent", "nee")
    assert "huiselijk geweld" in await chat("agent", "vorige")  # two steps, two 'terug's
    script = check_script()
    outcome = await chat("agent", *script[1:])
    assert outcome.startswith("Uitkomst: past waarschijnlijk")


async def test_a_plan_goes_back_to_the_description_and_keeps_nothing_of_the_undone_answer(chat: Chat) -> None:
    number = await refer_a_case(chat)
    await chat("regisseur", f"beoordeel {number}", "accepteren", "Petra Regisseur")
    await chat("regisseur", f"plan {number}", "Huisbezoek afleggen")
    assert "Wat is de actie?" in await chat("regisseur", "terug")
    await chat("regisseur", "Huisbezoek plannen", "agent", "vrijdag 4 december 14:00", "ja", "nee", "geen")
    summary = await chat("regisseur", "terug", "terug")  # the overleg, then 'nog een actie?'
    assert "Nog een actie toevoegen?" in summary
    recorded = await chat("regisseur", "nee", "geen", "ja")
    assert "vastgelegd (1 actie)" in recorded
    async with chat.app.sessions() as session:
        assert list(await session.scalars(select(Action.description))) == ["Huisbezoek plannen"]


async def test_terug_outside_a_dialogue_and_as_an_option_of_its_own(chat: Chat) -> None:
    assert "geen gesprek" in await chat("agent", "terug")
    # A referral, another conversation: back from its second question to its first.
    first = await chat("wijkteam", "aanmelden")
    second = await chat("wijkteam", "1")
    assert second != first
    assert first.splitlines()[-1] in await chat("wijkteam", "terug")
