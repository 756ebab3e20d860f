"""Registering an aanmelding: the non-identifying fields as a guided form, then a numbered case."""

from __future__ import annotations

from typing import Any

from handlers import forms, subject
from handlers.authorization import may_refer
from handlers.messages import DialogueState
from handlers.turn import Turn
from storage import cases, people
from storage.models import Case, CaseState, Role

PREFIX = "referral.q"


def _next_open(turn: Turn, answers: dict[str, Any]) -> int | None:
    for position, question in enumerate(turn.definitions.referral_form):
        if question.key not in answers:
            return position
    return None


def _carry(turn: Turn, carried: dict[str, Any]) -> dict[str, Any]:
    """Keep only the check's answers that the referral form asks too."""
    keys = {question.key for question in turn.definitions.referral_form}
    return {key: value for key, value in carried.items() if key in keys}


async def begin(
    turn: Turn, carried: dict[str, Any] | None = None, check_outcome: str | None = None
) -> DialogueState | None:
    if not may_refer(turn.person):
        turn.say("referral.not_allowed")
        return None
    answers = _carry(turn, carried or {})
    state = DialogueState("referral", "", {"answers": answers, "check_outcome": check_outcome})
    lead = turn.t("referral.intro") + (f"\n{turn.t('referral.carried')}" if answers else "")
    return _ask_next(turn, state, lead)


def _ask_next(turn: Turn, state: DialogueState, lead: str | None = None) -> DialogueState:
    position = _next_open(turn, state.data["answers"])
    if position is None:
        state.step = "confirm"
        turn.offer(state, _summary(turn, state.data["answers"]), turn.yes_no())
        return state
    question = turn.definitions.referral_form[position]
    state.step = question.key
    forms.ask(turn, state, question, PREFIX, lead=lead)
    return state


def _summary(turn: Turn, answers: dict[str, Any]) -> str:
    lines = [turn.t("referral.summary")]
    for question in turn.definitions.referral_form:
        lines.append(
            f"- {turn.t(f'referral.label.{question.key}')}: {forms.answer_label(turn, question, answers[question.key])}"
        )
    lines += ["", turn.t("referral.confirm")]
    return "\n".join(lines)


async def _register(turn: Turn, answers: dict[str, Any], check_outcome: str | None) -> Case:
    now = turn.now()
    number = await cases.next_case_number(turn.session, turn.settings.case_number_prefix, now.year)
    case = Case(
        number=number,
        state=CaseState.INGEDIEND,
        melder_id=turn.person.id,
        gemeente=answers["gemeente"],
        subject_type=answers["subject_type"],
        leefgebieden=list(answers["leefgebieden"]),
        ketens=list(answers["ketens"]),
        urgency=answers["urgency"],
        informed=answers["geinformeerd"],
        goal=answers["goal"],
        check_outcome=check_outcome,
        created_at=now,
        updated_at=now,
    )
    turn.session.add(case)
    await turn.session.flush()
    await cases.record_creation(turn.session, case, turn.person.id, now)
    await turn.audit("case.create", case.number)
    for director in await people.active_with_role(turn.session, Role.PROCESREGISSEUR):
        await turn.notify(director.id, "new_referral", case.number, urgent=answers["urgency"] == "hoog")
    return case


class ReferralConversation:
    kind = "referral"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        return await begin(turn)

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        if state.step == "confirm":
            answer = turn.picked(state)
            if answer == "ja":
                case = await _register(turn, state.data["answers"], state.data.get("check_outcome"))
                turn.say("referral.registered", number=case.number)
                await subject.offer(turn, case)
                return None
            if answer == "nee":
                turn.say("referral.cancelled")
                return None
            turn.reoffer(state)
            return state
        question = next(q for q in turn.definitions.referral_form if q.key == state.step)
        answer = forms.read(turn, state, question)
        if answer is None:
            forms.ask(turn, state, question, PREFIX)
            return state
        state.data["answers"][question.key] = answer
        return _ask_next(turn, state)
