"""Need-to-know, in one place (domain.md Part 1 and Part 2 §3.6).

Handlers ask this module what a person may see or do; no handler compares roles itself. What a
person may not see is reported by the callers exactly as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from sqlalchemy.ext.asyncio import AsyncSession

from storage import cases, stand_ins
from storage.cases import OPEN_INTAKE, CaseKey, participates
from storage.models import Case, CaseState, Role
from storage.people import Person


class Access(IntEnum):
    """How much of one case a person may see; from REFERRAL_STATE up each level includes the ones below it.

    ESCALATION is the ketenmanager's alone, and only through their own conversation: while a case is escalated
    they read why, who directs it and which organisations hold what is open, never its content. The melder's
    REFERRAL_STATE does not include it, though it ranks above it.
    """

    NONE = 0
    ESCALATION = 1  # the ketenmanager, while the case is escalated
    REFERRAL_STATE = 2  # the melder: state and outcome of their own referral
    ACTION_LIST = 3  # a deelnemer: the action list and the next overleg
    FULL = 4  # the procesregisseur of the case, or any procesregisseur for the unassigned intake queue


def directs_cases(person: Person) -> bool:
    return person.active and person.role is Role.PROCESREGISSEUR


def sees_counts_only(person: Person) -> bool:
    return person.active and person.role is Role.KETENMANAGER


# Who decides on a request to join (and is told of one): the procesregisseurs and the ketenmanager.
ADMITTING_ROLES = (Role.PROCESREGISSEUR, Role.KETENMANAGER)


def admits(person: Person) -> bool:
    return person.active and person.role in ADMITTING_ROLES


# The roles that see and write case content: they refer, hold actions, post updates. The ketenmanager's role is
# figures only.
CASE_WORK_ROLES = (Role.MELDER, Role.PROCESREGISSEUR)


def works_on_cases(person: Person) -> bool:
    return person.active and person.role in CASE_WORK_ROLES


@dataclass(frozen=True)
class Rule:
    """Who may start a conversation, and the catalogue key of what everyone else is told."""

    allows: Callable[[Person], bool]
    refusal: str


ANYONE = Rule(lambda person: person.active, "common.not_allowed")
CASE_WORKERS = Rule(works_on_cases, "common.case_workers_only")  # the roles that work with case content
DIRECTORS = Rule(directs_cases, "common.directors_only")
COUNTS_ONLY = Rule(sees_counts_only, "common.ketenmanager_only")  # the network's figures
MANAGER = Rule(sees_counts_only, "common.manager_only")  # invite codes, the review of accounts
ADMITTERS = Rule(admits, "common.admitters_only")  # deciding on requests to join


async def directing_for(session: AsyncSession, person: Person, now: datetime) -> list[int]:
    """Whose cases a procesregisseur directs now: their own, and those of each colleague they stand in for
    (waarneming). Empty for every other role."""
    if not directs_cases(person):
        return []
    return [person.id, *(held.absent_id for held in await stand_ins.covered_by(session, person.id, now))]


async def case_access(session: AsyncSession, person: Person, case: Case | CaseKey, now: datetime) -> Access:
    if not person.active or case.restricted_at is not None:  # restricted: for the operator only
        return Access.NONE
    if person.role is Role.KETENMANAGER:
        return Access.ESCALATION if case.state is CaseState.OPGESCHAALD else Access.NONE
    if person.role is Role.PROCESREGISSEUR and (
        case.procesregisseur_id == person.id
        or (case.procesregisseur_id is None and case.state in OPEN_INTAKE)
        or (
            case.procesregisseur_id is not None
            and case.procesregisseur_id in await directing_for(session, person, now)
        )
    ):
        return Access.FULL
    # The participation query runs for closed cases too: a refusal must take as long for a closed case as for
    # a number that does not exist, or its timing tells that the case is there.
    taking_part = await participates(session, person, case.id)
    if case.state is not CaseState.AFGESLOTEN and taking_part:
        return Access.ACTION_LIST
    if case.melder_id == person.id:
        return Access.REFERRAL_STATE
    return Access.NONE


def may_post_feedback(access: Access, case: Case) -> bool:
    """Anyone on an open case may post an update; the melder answers questions this way too."""
    return access >= Access.REFERRAL_STATE and case.state is not CaseState.AFGESLOTEN


async def may_enter_subject(
    session: AsyncSession, person: Person, access: Access, case: Case, now: datetime
) -> bool:
    """The identifying details of an open case come from its melder, or from the procesregisseur directing it."""
    return case.state is not CaseState.AFGESLOTEN and (case.melder_id == person.id or access is Access.FULL)


async def may_read_subject(
    session: AsyncSession, person: Person, access: Access, case: Case, now: datetime
) -> bool:
    """The identifying details of an open case are read by the procesregisseur directing it (or standing in),
    never by the melder who sent them (they see that the details are in) nor by the ketenmanager.

    During intake every procesregisseur may screen and decide, but only the one who opened the referral for
    screening (or whoever stands in for them) reads who it is about: screening may need the name to ask partners,
    the rest of the queue does not.
    """
    if not directs_cases(person) or access is not Access.FULL or case.state is CaseState.AFGESLOTEN:
        return False
    if case.procesregisseur_id is not None:
        return True
    screener = await cases.screened_by(session, case.id)
    return screener is not None and screener in await directing_for(session, person, now)
