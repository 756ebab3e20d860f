"""Need-to-know: every role × every case command × own / other / unknown case.

Where a person may not see a case, the reply must be exactly the reply for a case that does not exist.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import event

from tests.conftest import Chat
from tests.test_scenario import CHECK_THAT_FITS, REFERRAL_REST

ASSIGNED, IN_INTAKE, UNKNOWN = "VH-2026-0001", "VH-2026-0002", "VH-2026-0999"
COMMANDS = [
    "status {n}",
    "acties {n}",
    "terugkoppeling {n}",
    "updates {n}",
    "plan {n}",
    "casus {n}",
    "beoordeel {n}",
]
PEOPLE = ["agent", "wijkteam", "reclassering", "regisseur", "regisseur2", "manager"]
# Who may see what of each case; everyone else must get the 'does not exist' answer.
ALLOWED = {
    ASSIGNED: {
        "status {n}": {"agent", "wijkteam", "regisseur"},  # melder, deelnemer, its procesregisseur
        "acties {n}": {"wijkteam", "regisseur"},
        "terugkoppeling {n}": {"agent", "wijkteam", "regisseur"},
        "updates {n}": {"regisseur"},
        "plan {n}": {"regisseur"},
        "casus {n}": {"regisseur"},
        "beoordeel {n}": {
            "regisseur"
        },  # answered 'already decided', which reveals it exists: only to its director
    },
    IN_INTAKE: {
        "status {n}": {"ggz", "regisseur", "regisseur2"},  # the unassigned queue is open to every director
        "acties {n}": {"regisseur", "regisseur2"},
        "terugkoppeling {n}": {"ggz", "regisseur", "regisseur2"},
        "updates {n}": {"regisseur", "regisseur2"},
        "plan {n}": {"regisseur", "regisseur2"},  # answered 'no plan possible now'
        "casus {n}": {"regisseur", "regisseur2"},  # answered 'still in intake'
        "beoordeel {n}": {"regisseur", "regisseur2"},
    },
}


@pytest.fixture
async def two_cases(chat: Chat) -> Chat:
    """VH-2026-0001: agent's referral, accepted by 'regisseur', with an action for 'wijkteam'.
    VH-2026-0002: ggz's referral, still unassigned in the intake queue."""
    await chat("agent", *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    await chat("regisseur", f"beoordeel {ASSIGNED}", "accepteren", "Petra Regisseur")
    await chat(
        "regisseur", f"plan {ASSIGNED}", "Contact leggen", "wijkteam", "vrijdag", "ja", "nee", "geen", "ja"
    )
    await chat(
        "ggz",
        "aanmelden",
        "2",
        "gezin",
        "1, 3",
        "zorg, bestuur",
        "hoog",
        "ja",
        "Zorgen over verwaarlozing",
        "ja",
    )
    return chat


def _generic(reply: str, number: str) -> str:
    return re.sub(re.escape(number), "<N>", reply, flags=re.IGNORECASE)


@pytest.mark.parametrize("person", [*PEOPLE, "ggz"])
async def test_what_one_may_not_see_is_answered_as_if_it_did_not_exist(two_cases: Chat, person: str) -> None:
    chat = two_cases
    for number, rules in ALLOWED.items():
        for command in COMMANDS:
            about_case = await chat(person, command.format(n=number.lower()))
            await chat(person, "stop")
            about_nothing = await chat(person, command.format(n=UNKNOWN))
            await chat(person, "stop")
            same = _generic(about_case, number) == _generic(about_nothing, UNKNOWN)
            allowed = person in rules[command]
            assert same is not allowed, f"{person} / {command} / {number}: {about_case!r}"


async def test_the_ketenmanager_sees_counts_and_no_content(two_cases: Chat) -> None:
    reply = await two_cases("manager", "status")
    assert "- ingediend: <5" in reply and "- in uitvoering: <5" in reply  # as the figures show small counts
    assert "- afgesloten: 0" in reply
    assert "VH-2026" not in reply and "verwaarlozing" not in reply


async def test_a_deelnemer_loses_the_action_list_when_the_case_closes(two_cases: Chat) -> None:
    chat = two_cases
    await chat("regisseur", f"casus {ASSIGNED}", "afsluiten", "doel bereikt", "ja")
    assert _generic(await chat("wijkteam", f"acties {ASSIGNED}"), ASSIGNED) == _generic(
        await chat("wijkteam", f"acties {UNKNOWN}"), UNKNOWN
    )
    assert "afgesloten" in await chat("agent", f"status {ASSIGNED}")  # the melder still sees the outcome


async def _statements_for(chat: Chat, person: str, message: str) -> list[str]:
    """The SQL one message costs, parameters aside: what a refusal's timing follows."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    engine = chat.app.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        await chat(person, message)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements


@pytest.mark.parametrize("person", ["reclassering", "regisseur2"])
async def test_a_closed_case_is_refused_with_the_same_work_as_a_number_that_does_not_exist(
    two_cases: Chat, person: str
) -> None:
    """A refusal that skips a query for closed cases answers measurably faster, and so tells they exist."""
    chat = two_cases
    await chat("regisseur", f"casus {ASSIGNED}", "afsluiten", "doel bereikt", "ja")
    await chat(person, f"status {UNKNOWN}")  # the first lookup of a turn may warm caches the second one uses
    for command in ("status {n}", "acties {n}", "casus {n}"):
        closed = await _statements_for(chat, person, command.format(n=ASSIGNED))
        unknown = await _statements_for(chat, person, command.format(n=UNKNOWN))
        assert closed == unknown, command


async def test_melders_cannot_direct_cases(two_cases: Chat) -> None:
    for command in ("intake", "plan", "updates"):
        assert "alleen een procesregisseur" in await two_cases("agent", command)
