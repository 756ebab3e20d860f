"""Who can hold an action: a person whose role works with case content, or an organisation with at least one such
person the bot can reach. Used wherever a holder is named (the plan, reassigning an action)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers import recipients
from handlers.authorization import works_on_cases
from handlers.cases import naming
from handlers.cases.views import names
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn
from storage import cases, people
from storage.models import Case, Organisation, Professional

PERSON, ORGANISATION = "p", "o"


@dataclass
class Holder:
    """A named person (with their organisation), or an organisation alone."""

    organisation_id: int
    person_id: int | None = None


class NoHolder(Exception):
    """The named holder cannot hold an action; ``key`` is the catalogue line that says why. ``choices`` are the
    people and organisations a part of a name fits, when it fits several: the person picks one of them."""

    def __init__(self, key: str, choices: tuple[Choice, ...] = (), **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.choices = choices
        self.params = params


async def holder_shortcuts(turn: Turn, case: Case) -> list[Choice]:
    """The people already on the case, as a shortcut; anyone else is typed by (a part of) their name."""
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


async def read_holder(turn: Turn, state: DialogueState[Any]) -> Holder | None:
    """The holder the answer names; None after saying why it names none, or after offering the people and
    organisations a part of a name fits (the question stays open with them as its options)."""
    try:
        return await named_holder(turn, state)
    except NoHolder as refusal:
        if refusal.choices:
            turn.offer(state, turn.t(refusal.key, **refusal.params), list(refusal.choices))
        else:
            turn.say(refusal.key, **refusal.params)
        return None


async def named_holder(turn: Turn, state: DialogueState[Any]) -> Holder:
    """The holder picked from the options or typed (a name or a part of one, an organisation's name; a handle
    still works for those who know one); NoHolder otherwise."""
    picked = turn.picked(state)
    if picked is not None:
        kind, ident = picked.split(":")
        person = await people.professional_by_id(turn.session, int(ident)) if kind == PERSON else None
        organisation = (
            await people.organisation_by_id(turn.session, int(ident)) if kind == ORGANISATION else None
        )
    else:
        person, organisation = await _typed(turn)
    if person is not None:
        if not works_on_cases(person):
            raise NoHolder("holder.not_allowed", name=person.name)
        return Holder(person.organisation_id, person.id)
    if organisation is None:
        raise NoHolder("holder.unknown")
    if not await recipients.receivers(turn.session, organisation.id):
        raise NoHolder("holder.nobody", organisation=organisation.name)
    return Holder(organisation.id)


async def _typed(turn: Turn) -> tuple[Professional | None, Organisation | None]:
    """Whom a typed answer names: a handle, else the one active person or organisation it fits (a whole name or a
    part of one). Several: NoHolder with them to pick from."""
    handle = await people.professional_by_handle(turn.session, turn.incoming.text.strip().lstrip("@"))
    if handle is not None:  # operators and the terminal know people by handle
        return handle, None
    persons = await naming.active_people_named(turn.session, turn.incoming.text)
    organisations = await naming.organisations_named(turn.session, turn.incoming.text)
    if len(persons) + len(organisations) == 1:
        return (persons[0], None) if persons else (None, organisations[0])
    if not persons and not organisations:
        raise NoHolder("holder.unknown")
    if len(persons) + len(organisations) > naming.MOST_LISTED:
        raise NoHolder("holder.too_many", count=len(persons) + len(organisations))
    holding = [p for p in persons if works_on_cases(p)]
    known = await names(turn, [p.id for p in holding], [o.id for o in organisations])
    choices = [Choice(f"{PERSON}:{p.id}", known.of(p.id)) for p in holding]
    choices += [Choice(f"{ORGANISATION}:{o.id}", known.of(None, o.id)) for o in organisations]
    if not choices:
        raise NoHolder("holder.unknown")
    raise NoHolder("holder.several", tuple(choices))
