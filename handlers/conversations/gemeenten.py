"""``gemeenten``: the ketenmanager sees which procesregisseur is the aandachtsfunctionaris of each gemeente (who
hears first of its new referrals) and changes one, in chat: the gemeente, then the procesregisseur or nobody
(the whole team hears), confirmed. ``vhbot users set --gemeenten`` does it at the command line (issue 36)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handlers import recipients
from handlers.authorization import MANAGER, directs_cases
from handlers.dialogue.answers import ask_confirm
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from storage import gemeenten, people

KIND = "gemeenten"
GEMEENTE, PERSON, CONFIRM = "gemeente", "person", "confirm"
NOBODY = "0"  # the answer 'nobody': the gemeente's referrals go to the whole team


@dataclass
class GemeentenState:
    gemeente: str | None = None
    person_id: int | None = None  # None: nobody


Gemeenten = DialogueState[GemeentenState]
steps: Steps[GemeentenState, None] = Steps()


async def _name(turn: Turn, person_id: int | None) -> str:
    person = await people.professional_by_id(turn.session, person_id) if person_id is not None else None
    return person.name if person is not None else turn.t("gemeenten.nobody")


async def start(turn: Turn, argument: str) -> Gemeenten | None:
    contacts = await gemeenten.contacts(turn.session)
    names = (await people.display_names(turn.session, set(contacts.values()), set())).persons
    region = list(turn.definitions.region.gemeenten)
    listed = [
        *region,
        *sorted(set(contacts) - set(region)),
    ]  # a gemeente set at the command line, outside the list
    lines = [turn.t("gemeenten.title")]
    lines += [
        f"- {name}: {names[contacts[name]] if name in contacts else turn.t('gemeenten.nobody')}"
        for name in listed
    ]
    state = DialogueState(KIND, GEMEENTE, GemeentenState())
    turn.say_lines(lines)
    turn.offer(state, turn.t("gemeenten.pick"), [Choice(name, name) for name in listed])
    return state


async def resume(turn: Turn, state: Gemeenten) -> DialogueState[Any] | None:
    return await steps.run(turn, state, None)


@steps.choice(GEMEENTE)
async def _on_gemeente(turn: Turn, state: Gemeenten, _: None, picked: str) -> Gemeenten:
    state.data.gemeente = picked
    state.step = PERSON
    choices = [Choice(str(person.id), person.name) for person in await recipients.directors(turn.session)]
    turn.offer(
        state,
        turn.t("gemeenten.who", gemeente=picked),
        [*choices, Choice(NOBODY, turn.t("gemeenten.nobody"))],
    )
    return state


@steps.choice(PERSON)
async def _on_person(turn: Turn, state: Gemeenten, _: None, picked: str) -> Gemeenten:
    state.data.person_id = None if picked == NOBODY else int(picked)
    name = await _name(turn, state.data.person_id)
    return ask_confirm(
        turn, state, CONFIRM, turn.t("gemeenten.confirm", gemeente=state.data.gemeente, name=name)
    )


@steps.on_yes(CONFIRM)
async def _save(turn: Turn, state: Gemeenten, _: None) -> None:
    gemeente, person_id = state.data.gemeente, state.data.person_id
    assert gemeente is not None, "asked at the first step"
    if person_id is not None:
        person = await people.professional_by_id(turn.session, person_id)
        if person is None or not directs_cases(person):  # disabled, or no longer a procesregisseur, meanwhile
            turn.say("gemeenten.gone")
            return
    await gemeenten.assign(turn.session, gemeente, person_id)
    await turn.audit("gemeente.contact.set")
    turn.say("gemeenten.saved", gemeente=gemeente, name=await _name(turn, person_id))


CONVERSATION = Conversation(KIND, MANAGER, GemeentenState, start, resume)
