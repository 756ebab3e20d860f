"""The check asks only what can still change its outcome, and its 'Waarom' names only what decided it."""

from __future__ import annotations

from config.definitions import load_definitions
from handlers.check_rules import settled
from tests.conftest import Chat
from tests.scripts import FITS, check_script

DEFINITIONS = load_definitions()
ONE_CHAIN = {**FITS, "ketens": "zorg", "dwang_drang": "nee", "vastgelopen": "nee"}


def _reasons(outcome: str) -> list[str]:
    """The lines under 'Waarom' in a check's outcome."""
    lines = outcome.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Waarom"))
    return [line for line in lines[start + 1 :] if line.startswith("- ")][:10]


async def test_a_redirection_is_told_without_asking_whether_the_betrokkene_was_informed(chat: Chat) -> None:
    script = check_script(ONE_CHAIN)
    assert DEFINITIONS.criteria.questions[-1].key == "geinformeerd"
    assert len(script) == len(DEFINITIONS.criteria.questions)  # 'check' and every question but the last
    outcome = await chat("agent", *script)
    assert "doorverwijzen" in outcome.lower() and "wijkteam" in outcome.lower()
    assert "geïnformeerd" not in outcome
    assert "Er loopt geen gesprek" in await chat("agent", "stop")  # the check is over


async def test_a_question_that_can_no_longer_change_the_outcome_is_not_asked(chat: Chat) -> None:
    """All of A, B and C are met before the question on local safety: it could only add a second reason."""
    asked = await chat("agent", *check_script()[:-1])  # up to the answer on impact
    assert "Is de betrokkene geïnformeerd" in asked and "veiligheidsproblematiek" not in asked


async def test_the_reasons_are_the_deciding_facts_in_at_most_three_lines(chat: Chat) -> None:
    fits = _reasons(await chat("agent", *check_script()))
    assert len(fits) == 3 and "meerdere leefgebieden" in fits[0] and "meerdere ketens" in fits[1]
    local = {**ONE_CHAIN, "lokale_veiligheid": "ja"}
    await chat("agent", "stop")
    by_safety = _reasons(await chat("agent", *check_script(local)))
    assert by_safety == ["- Er is ernstige lokale veiligheidsproblematiek."]


def test_the_outcome_is_settled_as_soon_as_no_open_answer_can_change_it() -> None:
    criteria, region = DEFINITIONS.criteria, DEFINITIONS.region
    assert settled(criteria, region, {"D": True}) == ("fits", ())
    assert settled(criteria, region, {"A1": False}) is None  # serious local safety could still make it fit
    assert settled(criteria, region, {"A1": False, "D": False}) is not None
