"""The referral's summary lets the melder change one answer, and throws nothing away on one word."""

from __future__ import annotations

from storage import cases
from tests.conftest import Chat
from tests.scripts import check_script, referral_after_check


async def test_one_answer_is_corrected_at_the_summary_and_the_rest_is_kept(chat: Chat) -> None:
    await chat("agent", *check_script())
    summary = await chat("agent", "ja", *referral_after_check()[:-1])
    assert "Urgentie: normaal" in summary and "een antwoord aanpassen" in summary
    assert "Welk antwoord" in await chat("agent", "een antwoord aanpassen")
    await chat("agent", "Urgentie")
    corrected = await chat("agent", "hoog")
    assert "Urgentie: hoog" in corrected and "Ketens: zorg, straf" in corrected  # back at the summary
    assert "VH-2026-0001" in await chat("agent", "ja")
    async with chat.app.sessions() as session:
        case = await cases.by_number(session, "VH-2026-0001")
    assert case is not None and case.urgency == "hoog" and case.ketens == ["zorg", "straf"]


async def test_no_at_the_summary_asks_before_anything_is_thrown_away(chat: Chat) -> None:
    await chat("agent", *check_script())
    await chat("agent", "ja", *referral_after_check()[:-1])
    assert "weggooien?" in await chat("agent", "nee")
    assert "Controleer uw aanmelding" in await chat("agent", "nee")  # back to the summary, nothing lost
    await chat("agent", "nee, weggooien")
    assert "niet verstuurd" in await chat("agent", "ja")
    async with chat.app.sessions() as session:
        assert await cases.by_number(session, "VH-2026-0001") is None
