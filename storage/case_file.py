"""Everything the procesregisseur's view of one case shows, read in one statement.

The view lists the case's participants, its actions and the steps of its history, each with the name of whom it
names, and says whether the betrokkene's details are in and how many updates are unread. Read as one query per
list (and one for the names), that is six round trips on every look at a case; here it is one. One row is made
per participant, action and step by joining each table to its own *part* of a small fixed list of parts, so no
row repeats another and the tables' own columns (and their decryption) are loaded by the ORM as always; the melder
and the procesregisseur are two more parts that name only a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, and_, bindparam, exists, func, literal_column, select, union_all
from sqlalchemy import case as when
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    Action,
    Case,
    CaseParticipant,
    CaseSubject,
    CaseTransition,
    Feedback,
    Organisation,
    Professional,
    Role,
)
from storage.people import DisplayNames


class _Part(IntEnum):
    PARTICIPANT = 1
    ACTION = 2
    STEP = 3
    MELDER = 4
    DIRECTOR = 5


@dataclass
class CaseFile:
    """One case's lists and the names in them, as the procesregisseur's view shows them."""

    participants: list[CaseParticipant] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    steps: list[CaseTransition] = field(default_factory=list)  # its history, oldest first
    names: DisplayNames = field(default_factory=lambda: DisplayNames({}, {}, set()))
    bare_names: dict[int, str] = field(default_factory=dict)  # a person's name without their organisation
    staffed: set[int] = field(default_factory=set)  # of the organisations, which have someone to receive
    subject_entered_at: datetime | None = None
    unread: int = 0


@cache
def _statement(receiving_roles: tuple[Role, ...]) -> Select[tuple[Any, ...]]:
    """Built once per set of roles (building it costs more than running it) and given the case when run."""
    case_id = bindparam("case_id", type_=Integer)
    parts = union_all(
        *(select(literal_column(str(part.value), Integer).label("part")) for part in _Part)
    ).subquery("parts")
    part = parts.c.part
    named = aliased(Professional, name="named")
    named_organisation = aliased(Organisation, name="named_organisation")
    staff = aliased(Professional, name="staff")
    named_id = when(
        (part == _Part.PARTICIPANT, CaseParticipant.professional_id),
        (part == _Part.ACTION, Action.holder_id),
        (part == _Part.STEP, CaseTransition.actor_id),
        (part == _Part.MELDER, bindparam("melder_id", type_=Integer)),
        (part == _Part.DIRECTOR, bindparam("director_id", type_=Integer)),
    )
    staffed = when(
        (
            named.id.is_(None),
            exists().where(
                staff.organisation_id == named_organisation.id,
                staff.active.is_(True),
                staff.role.in_(receiving_roles),
            ),
        ),
        else_=False,
    )
    entered = select(CaseSubject.entered_at).where(CaseSubject.case_id == case_id).scalar_subquery()
    unread = (
        select(func.count(Feedback.id))
        .where(Feedback.case_id == case_id, Feedback.read_at.is_(None))
        .scalar_subquery()
    )
    return (
        select(
            CaseParticipant,
            Action,
            CaseTransition,
            named.id,
            named.name,
            named.active,
            named_organisation.id,
            named_organisation.name,
            staffed,
            entered,
            unread,
        )
        .select_from(parts)
        .outerjoin(CaseParticipant, and_(part == _Part.PARTICIPANT, CaseParticipant.case_id == case_id))
        .outerjoin(Action, and_(part == _Part.ACTION, Action.case_id == case_id))
        .outerjoin(CaseTransition, and_(part == _Part.STEP, CaseTransition.case_id == case_id))
        .outerjoin(named, named.id == named_id)
        .outerjoin(
            named_organisation,
            named_organisation.id
            == func.coalesce(
                named.organisation_id, CaseParticipant.organisation_id, Action.holder_organisation_id
            ),
        )
    )


async def read(session: AsyncSession, case: Case, receiving_roles: tuple[Role, ...]) -> CaseFile:
    """The file of ``case``. An organisation named in it counts as staffed while an active member in one of
    ``receiving_roles`` can receive what it holds."""
    values = {"case_id": case.id, "melder_id": case.melder_id, "director_id": case.procesregisseur_id}
    found = CaseFile()
    for row in (await session.execute(_statement(receiving_roles), values)).all():
        participant, action, step, person_id, name, active, organisation_id, organisation, is_staffed = row[
            :9
        ]
        found.subject_entered_at, found.unread = row[9], int(row[10])
        found.participants += [participant] if participant is not None else []
        found.actions += [action] if action is not None else []
        found.steps += [step] if step is not None else []
        if person_id is not None:
            found.names.persons[person_id] = f"{name} ({organisation})"
            found.bare_names[person_id] = name
            if active:
                found.names.active.add(person_id)
        elif organisation_id is not None:
            found.names.organisations[organisation_id] = organisation
            if is_staffed:
                found.staffed.add(organisation_id)
    found.participants.sort(key=lambda member: member.id)
    found.actions.sort(key=lambda action: action.seq)
    found.steps.sort(key=lambda step: step.id)
    return found
