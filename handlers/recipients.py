"""Who hears of what happens on a case: the one place that decides the recipients of every notice.

Conversations and the delivery engine ask here instead of each working out "the procesregisseur, or while
there is none every procesregisseur" on its own, so a change of that rule (a stand-in, a handover) is made once.
Every function returns professional ids, active people only, in a stable order.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.authorization import works_on_cases
from storage import actions, cases, people
from storage.models import Action, ActionStatus, Case, Professional, Role


async def all_directors(session: AsyncSession) -> list[int]:
    """Every active procesregisseur: for a new referral, and the weekly overviews."""
    return [person.id for person in await people.active_with_role(session, Role.PROCESREGISSEUR)]


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


async def reachable_holders(session: AsyncSession, action: Action) -> list[int]:
    """Who of the action's holders the bot can reach now: a named holder who is still active, or the holding
    organisation's receivers. Empty means nobody gets its reminders and nobody can mark it done."""
    holders = await action_holders(session, action)
    found = await people.by_ids(session, set(holders))
    return [holder for holder in holders if holder in found and found[holder].active]


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
