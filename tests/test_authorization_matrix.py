"""The authorization matrix extended to closed and purged cases: every role × every command that takes a case
number × an own, another's, a closed, a purged and an unknown case. Wherever the answer is a refusal (known from
the audit trail's '.refused' entry), it is word for word the answer for a case that does not exist, so nobody
learns that a number is in use. tests/test_authorization.py spells out who may see what of open cases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot import retention
from handlers.dates.clock import FixedClock
from storage.models import AuditEntry, Professional
from tests.case_life import told
from tests.conftest import Chat
from tests.test_scenario import CHECK_THAT_FITS, PLAN_ONE_ACTION, REFERRAL_REST

PEOPLE = ["agent", "ggz", "wijkteam", "reclassering", "regisseur", "regisseur2", "manager"]
COMMANDS = [
    "status",
    "casus",
    "acties",
    "terugkoppeling",
    "plan",
    "beoordeel",
    "updates",
    "gegevens",
    "wijzig",
    "deelnemers",
]


async def refer(chat: Chat, handle: str) -> str:
    reply = await chat(handle, *CHECK_THAT_FITS, "ja", *REFERRAL_REST)
    return reply.split("casusnummer ")[1].split(" ")[0]


async def refusals(chat: Chat, handle: str) -> int:
    async with chat.app.sessions() as session:
        query = (
            select(func.count(AuditEntry.id))
            .join(Professional, Professional.id == AuditEntry.actor_id)
            .where(Professional.handle == handle, AuditEntry.event.endswith(".refused"))
        )
        return int(await session.scalar(query) or 0)


async def test_a_refusal_reads_exactly_like_a_case_that_does_not_exist(chat: Chat, clock: FixedClock) -> None:
    purged = await refer(chat, "ggz")
    await chat("regisseur", f"beoordeel {purged}", "accepteren", "1")
    await chat("regisseur", f"casus {purged}", "afsluiten", "doel bereikt", "ja")
    clock.advance(timedelta(days=800))
    assert (await retention.purge(chat.app, dry_run=False, channel="test")).cases == [purged]

    own = await refer(chat, "agent")
    await chat("regisseur", f"beoordeel {own}", "accepteren", "1")
    await chat("regisseur", f"plan {own}", *PLAN_ONE_ACTION)
    others = await refer(chat, "ggz")
    closed = await refer(chat, "agent")
    await chat("regisseur", f"beoordeel {closed}", "accepteren", "1")
    await chat("regisseur", f"casus {closed}", "afsluiten", "doel bereikt", "ja")
    unknown = f"VH-{clock.now().year}-0999"

    refused_existing = allowed = 0
    for handle in PEOPLE:
        for command in COMMANDS:
            await chat(handle, "stop")
            nowhere = (await chat(handle, f"{command} {unknown}")).replace(unknown, "<nummer>")
            for number in (own, others, closed, purged):
                await chat(handle, "stop")
                before = await refusals(chat, handle)
                answer = (await chat(handle, f"{command} {number}")).replace(number, "<nummer>")
                refused = await refusals(chat, handle) > before
                if refused or number == purged:
                    assert answer == nowhere, (handle, command, number)
                    refused_existing += number != purged
                elif answer != nowhere:
                    allowed += 1
    # Not vacuous: both kinds of answer occurred many times.
    assert refused_existing > 30 and allowed > 30, (refused_existing, allowed)


async def test_holding_an_action_or_taking_part_needs_a_role_that_works_on_cases(chat: Chat) -> None:
    """Every role as a new holder, a new participant and a holder in the plan: only the ketenmanager (figures
    only) is refused, with the same words each time; an action held by the ZVH itself reaches its
    procesregisseurs, never its ketenmanager."""
    number = await refer(chat, "agent")
    await chat("regisseur", f"beoordeel {number}", "accepteren", "1")
    await chat("regisseur", f"plan {number}", *PLAN_ONE_ACTION)  # #1 is the agent's
    unplanned = await refer(chat, "ggz")
    await chat("regisseur", f"beoordeel {unplanned}", "accepteren", "1")
    for handle in PEOPLE:
        if handle == "agent":
            continue
        holder = await chat("regisseur", "stop", f"wijzig {number} #1", "andere actiehouder", handle)
        joined = await chat("regisseur", "stop", f"deelnemers {number}", "iemand toevoegen", handle)
        planned = await chat("regisseur", "stop", f"plan {unplanned}", "Nog een actie", handle)
        may_hold = handle != "manager"
        assert ("overdragen aan" in holder) is may_hold, (handle, holder)
        assert ("laten deelnemen aan casus" in joined) is may_hold, (
            handle,
            joined,
        )  # asked before it is done
        assert ("kan geen actie houden" in planned) is not may_hold, (handle, planned)
    await chat("regisseur", "stop")

    zvh = "Zorg- en Veiligheidshuis Voorbeeldregio"
    await chat("regisseur", f"wijzig {number} #1", "andere actiehouder", zvh)
    assert "nieuwe actiehouder" in await chat("regisseur", "ja")
    assert await told(chat.app, "action_assigned") == ["agent", "regisseur2"]  # the first was the agent's
    assert "Uw open acties (1)" in await chat("regisseur2", "acties")
    assert "Uw open acties" not in await chat("manager", "acties")
