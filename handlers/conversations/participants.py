"""Deelnemers of a case: the procesregisseur lists them, adds a person or an organisation, or removes one.

A deelnemer sees the case's action list and next overleg, nothing else (need-to-know); whoever is added or
removed is told. Someone who still holds open actions is not removed: those are handed over or cancelled first.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.authorization import DIRECTORS
from handlers.cases.holders import Holder, read_holder
from handlers.cases.lookup import directed_case, find_case_number
from handlers.cases.views import names
from handlers.dialogue.answers import ask_confirm
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.notice_kind import NOTHING, Nothing, NoticeKind
from storage import actions, cases
from storage.models import ActionStatus, Case, CaseParticipant, CaseState

KIND = "participants"
PARTICIPANT_ADDED = NoticeKind("participant_added", Nothing)
PARTICIPANT_REMOVED = NoticeKind("participant_removed", Nothing)
NOTICES = (PARTICIPANT_ADDED, PARTICIPANT_REMOVED)
MENU, ADD, REMOVE = "menu", "add", "remove"
ADD_CONFIRM, REMOVE_CONFIRM = "add_confirm", "remove_confirm"  # every change confirmed by name
OPTIONS = ("add", "remove")


@dataclass
class ParticipantsState:
    number: str
    joining: Holder | None = None  # whom to add, once named
    leaving: int | None = None  # the participant row to remove, once picked


Participants = DialogueState[ParticipantsState]
steps: Steps[ParticipantsState, Case] = Steps()


async def _listing(turn: Turn, case: Case) -> tuple[list[CaseParticipant], list[str]]:
    members = list(await cases.participants(turn.session, case.id))
    known = await names(turn, (m.professional_id for m in members), (m.organisation_id for m in members))
    return members, [known.of(m.professional_id, m.organisation_id) for m in members]


async def start(turn: Turn, argument: str) -> Participants | None:
    number = find_case_number(argument)
    if number is None:
        turn.say("participants.needs_number")
        return None
    case = await directed_case(turn, number)
    if case is None:
        return None
    _, listed = await _listing(turn, case)
    lines = [turn.t("participants.title", number=case.number, count=len(listed))]
    lines += [f"- {name}" for name in listed] or [turn.t("case.nobody")]
    if case.state is CaseState.AFGESLOTEN:
        turn.say_lines(lines)
        return None
    state = DialogueState(KIND, MENU, ParticipantsState(case.number))
    options = [Choice(key, turn.t(f"participants.option.{key}")) for key in OPTIONS]
    turn.offer(state, "\n".join([*lines, "", turn.t("participants.menu")]), options)
    return state


async def resume(turn: Turn, state: Participants) -> Participants | None:
    case = await directed_case(turn, state.data.number)
    if case is None or case.state is CaseState.AFGESLOTEN:
        return None
    return await steps.run(turn, state, case)


@steps.choice(MENU)
async def _on_menu(turn: Turn, state: Participants, case: Case, option: str) -> Participants | None:
    if option == "add":
        state.step = ADD
        turn.ask_open(state, turn.t("participants.add_prompt"))
    elif option == "remove":
        members, listed = await _listing(turn, case)
        if not members:
            turn.say("participants.none")
            return None
        state.step = REMOVE
        turn.offer(
            state,
            turn.t("participants.remove_prompt"),
            [Choice(str(m.id), n) for m, n in zip(members, listed)],
        )
    return state


@steps(ADD)
async def _on_add(turn: Turn, state: Participants, case: Case) -> Participants | None:
    who = await read_holder(turn, state)
    if who is None:
        return state
    state.data.joining = who
    known = await names(turn, [who.person_id], [who.organisation_id])
    name = known.of(who.person_id, who.organisation_id)
    return ask_confirm(
        turn, state, ADD_CONFIRM, turn.t("participants.add_confirm", name=name, number=case.number)
    )


@steps.on_yes(ADD_CONFIRM, no="participants.unchanged")
async def _add(turn: Turn, state: Participants, case: Case) -> None:
    who = state.data.joining
    assert who is not None
    if who.person_id is not None:
        await cases.add_participant(turn.session, case.id, professional_id=who.person_id)
        told = [who.person_id]
    else:
        await cases.add_participant(turn.session, case.id, organisation_id=who.organisation_id)
        told = []  # an organisation takes part through its actions; its people hear when they get one
    await turn.audit("case.participant.add", case.number)
    for recipient in told:
        await turn.notify(recipient, PARTICIPANT_ADDED, case.number, NOTHING)
    known = await names(turn, [who.person_id], [who.organisation_id])
    turn.say("participants.added", number=case.number, name=known.of(who.person_id, who.organisation_id))


@steps.choice(REMOVE)
async def _on_remove(turn: Turn, state: Participants, case: Case, picked: str) -> Participants | None:
    member = next((m for m in await cases.participants(turn.session, case.id) if m.id == int(picked)), None)
    if member is None:
        return None
    held = [
        a
        for a in await actions.for_case(turn.session, case.id)
        if a.status is ActionStatus.OPEN
        and (
            (member.professional_id is not None and a.holder_id == member.professional_id)
            or (
                member.professional_id is None
                and a.holder_id is None
                and a.holder_organisation_id == member.organisation_id
            )
        )
    ]
    known = await names(turn, [member.professional_id], [member.organisation_id])
    name = known.of(member.professional_id, member.organisation_id)
    if held:
        turn.say("participants.holds_actions", name=name, count=len(held), number=case.number)
        return None
    state.data.leaving = member.id
    text = turn.t("participants.remove_confirm", name=name, number=case.number)
    return ask_confirm(turn, state, REMOVE_CONFIRM, text)


@steps.on_yes(REMOVE_CONFIRM, no="participants.unchanged")
async def _remove(turn: Turn, state: Participants, case: Case) -> None:
    members = await cases.participants(turn.session, case.id)
    member = next((m for m in members if m.id == state.data.leaving), None)
    if member is None:  # removed meanwhile (by a stand-in, on another device): nothing left to do
        turn.say("participants.unchanged")
        return
    known = await names(turn, [member.professional_id], [member.organisation_id])
    name = known.of(member.professional_id, member.organisation_id)
    await cases.remove_participant(turn.session, member.id)
    await turn.audit("case.participant.remove", case.number)
    if member.professional_id is not None:
        await turn.notify(member.professional_id, PARTICIPANT_REMOVED, case.number, NOTHING)
    turn.say("participants.removed", number=case.number, name=name)


CONVERSATION = Conversation(KIND, DIRECTORS, ParticipantsState, start, resume)
