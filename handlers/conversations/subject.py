"""``gegevens [number]``: a new form for a referral's identifying details (a link expired, or they changed)."""

from __future__ import annotations

from handlers.authorization import CASE_WORKERS, Access, may_enter_subject
from handlers.cases.lookup import find_case_number, say_not_found, visible_case
from handlers.dialogue.case_picker import PICK, offer_cases, picked_number
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.state import DialogueState, NoState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.identifying import forms
from storage import cases
from storage.models import Case, CaseState

KIND = "subject"
steps: Steps[NoState, None] = Steps()


async def start(turn: Turn, argument: str) -> DialogueState[NoState] | None:
    number = find_case_number(argument)
    if number:
        await _offer_for(turn, number)
        return None
    own = [
        case
        for case in await cases.referred_by(turn.session, turn.person.id)
        if case.state is not CaseState.AFGESLOTEN
    ]
    return await offer_cases(turn, KIND, NoState(), own, turn.t("subject.pick"), "subject.no_cases")


@steps(PICK)
async def _on_pick(turn: Turn, state: DialogueState[NoState], _: None) -> DialogueState[NoState] | None:
    number = picked_number(turn, state)
    if number is None:
        return state
    await _offer_for(turn, number)
    return None


async def _offer_for(turn: Turn, number: str) -> None:
    def may_enter(case: Case, access: Access) -> bool:
        return may_enter_subject(turn.person, access, case)

    found = await visible_case(turn, number, Access.REFERRAL_STATE, "case.subject.ask", may_enter)
    if found is None:
        say_not_found(turn, number)
        return
    await forms.offer(turn, found[0])


async def resume(turn: Turn, state: DialogueState[NoState]) -> DialogueState[NoState] | None:
    return await steps.run(turn, state, None)


CONVERSATION = Conversation(KIND, CASE_WORKERS, NoState, start, resume)
