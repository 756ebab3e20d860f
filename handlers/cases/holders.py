"""Who can hold an action: a person whose role works with case content, or an organisation with at least one such
person the bot can reach. Used wherever a holder is named (the plan, reassigning an action)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers import recipients
from handlers.authorization import works_on_cases
from handlers.cases.views import names
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn
from storage import cases, people
from storage.models import Case

PERSON, ORGANISATION = "p", "o"


@dataclass
class Holder:
    """A named person (with their organisation), or an organisation alone."""

    organisation_id: int
    person_id: int | None = None


class NoHolder(Exception):
    """The named holder cannot hold an action; ``key`` is the catalogue line that says why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


async def holder_shortcuts(turn: Turn, case: Case) -> list[Choice]:
    """The people already on the case, as a shortcut; anyone else is typed by handle or organisation."""
    members = await cases.participants(turn.session, case.id)
    known = await names(
        turn, [case.melder_id, *(m.professional_id for m in members)], (m.organisation_id for m in members)
    )
    choices = [Choice(f"{PERSON}:{case.melder_id}", known.of(case.melder_id))]
    for member in members:
        key = (
            f"{PERSON}:{member.professional_id}"
            if member.professional_id
            else f"{ORGANISATION}:{member.organisation_id}"
        )
        if all(choice.key != key for choice in choices):
            choices.append(Choice(key, known.of(member.professional_id, member.organisation_id)))
    return choices


async def named_holder(turn: Turn, state: DialogueState[Any]) -> Holder:
    """The holder picked from the options or typed (a handle, or an organisation's name); NoHolder otherwise."""
    picked = turn.picked(state)
    if picked is not None:
        kind, ident = picked.split(":")
        person = await people.professional_by_id(turn.session, int(ident)) if kind == PERSON else None
        organisation = (
            await people.organisation_by_id(turn.session, int(ident)) if kind == ORGANISATION else None
        )
    else:
        typed = turn.incoming.text.strip().lstrip("@")
        person = await people.professional_by_handle(turn.session, typed)
        organisation = None if person else await people.organisation_named(turn.session, typed)
    if person is not None:
        if not works_on_cases(person):
            raise NoHolder("holder.not_allowed", name=person.name)
        return Holder(person.organisation_id, person.id)
    if organisation is None:
        raise NoHolder("holder.unknown")
    if not await recipients.receivers(turn.session, organisation.id):
        raise NoHolder("holder.nobody", organisation=organisation.name)
    return Holder(organisation.id)
