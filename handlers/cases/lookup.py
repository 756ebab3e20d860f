"""Finding a case by the number a person types, through authorization, with an audit entry."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta

from handlers.authorization import Access, case_access, directing_for
from handlers.dialogue.turn import Turn
from storage import audit, cases
from storage.models import Case

_NUMBER = re.compile(r"\b([a-z]{1,8})[-\s]?(\d{4})[-\s]?(\d{1,6})\b", re.IGNORECASE)


class LookupsExhausted(Exception):
    """The person has asked for too many case numbers they cannot see in the past hour: the dispatcher answers
    with one polite line and keeps their dialogue as it was."""


def find_case_number(text: str) -> str | None:
    """'vh-2026-42' and 'VH 2026 0042' both mean VH-2026-0042."""
    match = _NUMBER.search(text)
    if match is None:
        return None
    prefix, year, seq = match.groups()
    return f"{prefix.upper()}-{year}-{int(seq):04d}"


async def _anything(case: Case, access: Access) -> bool:
    return True


async def visible_case(
    turn: Turn,
    number: str,
    need: Access,
    event: str,
    allows: Callable[[Case, Access], Awaitable[bool]] = _anything,
) -> tuple[Case, Access] | None:
    """The case if the person may see at least ``need`` of it and ``allows`` it, else None, exactly as if it did
    not exist.

    Every successful lookup is audited; so is a refused one, without revealing anything to the person. Those
    refusals are what the lookup limit counts (enumerating numbers mostly finds nothing): past it, nothing is
    looked up at all and LookupsExhausted is raised.
    """
    hour_ago = turn.now() - timedelta(hours=1)
    key, refused = await cases.key_of(turn.session, number, audit.refusals_since(turn.person.id, hour_ago))
    if refused >= turn.settings.rate_lookup_misses_per_hour:
        await turn.audit("case.lookup.throttled")
        raise LookupsExhausted
    access = await case_access(turn.session, turn.person, key or cases.NO_CASE, turn.now())
    case = await turn.session.get(Case, key.id) if key is not None and access >= need else None
    if case is None or not await allows(case, access):
        await turn.audit(f"{event}.refused", number if key is not None else None)
        return None
    if access is Access.FULL and case.procesregisseur_id not in (None, turn.person.id):
        # A waarneming: everything done to this case is done on behalf of the procesregisseur directing it.
        turn.on_behalf_of = audit.for_person(case.procesregisseur_id)
    await turn.audit(event, case.number)
    return case, access


async def directed_ids(turn: Turn) -> list[int]:
    """The procesregisseurs whose cases this person directs now: themselves, and whom they stand in for."""
    return await directing_for(turn.session, turn.person, turn.now())


def say_not_found(turn: Turn, number: str) -> None:
    turn.say("case.not_found", number=number)


async def case_or_not_found(turn: Turn, number: str, need: Access, event: str) -> tuple[Case, Access] | None:
    """As :func:`visible_case`; where it finds nothing the person is told the case cannot be found."""
    found = await visible_case(turn, number, need, event)
    if found is None:
        say_not_found(turn, number)
    return found


async def directed_case(turn: Turn, number: str, event: str = "case.view") -> Case | None:
    """The case as the procesregisseur directing it sees it, or None after saying it cannot be found."""
    found = await case_or_not_found(turn, number, Access.FULL, event)
    return None if found is None else found[0]
