"""Who hears of what happens on a case: the one place that decides the recipients of every notice.

Conversations and the delivery engine ask here instead of each working out "the procesregisseur, or while
there is none every procesregisseur" on its own, so a change of that rule (a stand-in, a handover) is made once.
Every function returns professional ids, active people only, in a stable order; ``colleagues`` returns the
people themselves, for a list to pick one from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.authorization import ADMITTING_ROLES, works_on_cases
from storage import actions, cases, gemeenten, people, stand_ins
from storage.models import Action, ActionStatus, Case, Professional, Role
from storage.people import Person


async def all_directors(session: AsyncSession) -> list[int]:
    """Every active procesregisseur: for a new referral, and the weekly overviews."""
    return [person.id for person in await directors(session)]


async def for_new_referral(
    session: AsyncSession, gemeente: str, now: datetime
) -> tuple[list[int], list[int]]:
    """Who hears of a new referral at once, and who only when nobody has taken it up in time: the gemeente's
    aandachtsfunctionaris (and whoever stands in for them now) first, the rest of the team later. A gemeente
    without one, or with one no longer active, goes to the whole team at once."""
    team = await all_directors(session)
    contact = await gemeenten.contact_of(session, gemeente)
    if contact is None or contact not in team:
        return team, []
    standing_in = {held.stand_in_id for held in await stand_ins.current_for_absent(session, {contact}, now)}
    first = [person for person in team if person == contact or person in standing_in]
    return first, [person for person in team if person not in first]


async def directors(session: AsyncSession) -> Sequence[Professional]:
    """Every active procesregisseur as a person, to pick one from: to take up a referral."""
    return await people.active_with_role(session, Role.PROCESREGISSEUR)


async def colleagues(session: AsyncSession, of: Person) -> list[Professional]:
    """The other active procesregisseurs, to pick one from: to stand in, to take a case over."""
    return [p for p in await directors(session) if p.id != of.id]


async def admitters(session: AsyncSession) -> list[int]:
    """Who decides on a request to join, and is told of one: every active procesregisseur and ketenmanager."""
    return [p.id for role in ADMITTING_ROLES for p in await people.active_with_role(session, role)]


async def directors_of(session: AsyncSession, case: Case) -> list[int]:
    """The procesregisseur directing the case; while a referral has none yet, every procesregisseur."""
    if case.procesregisseur_id is not None:
        return [case.procesregisseur_id]
    return await all_directors(session)


async def receivers(session: AsyncSession, organisation_id: int) -> list[Professional]:
    """The members of an organisation who receive an action it holds: active, in a role that works on cases."""
    return [member for member in await people.members_of(session, organisation_id) if works_on_cases(member)]


async def action_holders(session: AsyncSession, action: Action) -> list[int]:
    """The named holder, or the receivers of the holding organisation when no person was named."""
    if action.holder_id is not None:
        return [action.holder_id]
    return [member.id for member in await receivers(session, action.holder_organisation_id)]


def unreachable(open_actions: Sequence[Action], active: set[int], staffed: set[int]) -> set[int]:
    """The ids of the actions nobody the bot can reach holds: a named holder no longer ``active``, or an
    organisation not ``staffed`` (no receivers left; both read with the names). Nobody gets their reminders and
    nobody can mark them done."""
    return {
        action.id
        for action in open_actions
        if (
            action.holder_id not in active
            if action.holder_id is not None
            else action.holder_organisation_id not in staffed
        )
    }


async def participants(session: AsyncSession, case: Case) -> list[int]:
    """The people taking part in the case by name (an organisation taking part is reached by its actions)."""
    members = await cases.participants(session, case.id)
    return sorted({member.professional_id for member in members if member.professional_id is not None})


async def meeting_invitees(session: AsyncSession, case: Case) -> list[int]:
    """Everyone reminded of the next overleg: the participants and the procesregisseur."""
    invited = set(await participants(session, case))
    if case.procesregisseur_id is not None:
        invited.add(case.procesregisseur_id)
    return sorted(invited)


def director(case: Case, besides: int | None = None) -> list[int]:
    """The procesregisseur directing the case, if there is one and it is not ``besides`` (who caused it)."""
    if case.procesregisseur_id is None or case.procesregisseur_id == besides:
        return []
    return [case.procesregisseur_id]


async def team(session: AsyncSession, case: Case, besides: int | None = None) -> list[int]:
    """Everyone working on the case: its participants and the holders of its open actions (for an action held by
    an organisation, its active members), apart from ``besides`` (who caused what they are told of)."""
    involved = set(await participants(session, case))
    for action in await actions.for_case(session, case.id):
        if action.status is ActionStatus.OPEN:
            involved.update(await action_holders(session, action))
    return sorted(involved - {besides})


async def ketenmanagers(session: AsyncSession) -> list[int]:
    """Every active ketenmanager: they hear that a case was escalated (its number, nothing of its content)."""
    return [person.id for person in await people.active_with_role(session, Role.KETENMANAGER)]
