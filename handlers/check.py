"""The anonymous check 'Hoort dit bij het Veiligheidshuis?', driven by config/criteria.toml.

Nothing identifying is asked; the answers live only in the dialogue state and, if the person goes on
to refer the case, are carried into the referral.
"""

from __future__ import annotations

from config.definitions import Question
from handlers import forms, referral
from handlers.authorization import may_refer
from handlers.check_rules import Assessment, assess
from handlers.messages import DialogueState
from handlers.turn import Turn

PREFIX = "check.q"


def _question(turn: Turn, key: str) -> Question:
    return next(q for q in turn.definitions.criteria.questions if q.key == key)


def _contact_line(turn: Turn, key: str) -> str:
    contact = turn.definitions.region.contacts[key]
    return turn.t(f"check.contact.{key}", name=contact.name, phone=contact.phone)


def _report(turn: Turn, result: Assessment) -> list[str]:
    lines = [turn.t(f"check.verdict.{result.verdict}"), "", turn.t("check.reasons")]
    for name, value in result.facts.items():
        truth = "unknown" if value is None else str(value).lower()
        lines.append(f"- {turn.t(f'check.fact.{name}.{truth}')}")
    if result.redirects:
        lines += ["", turn.t("check.redirect_to")]
        lines += [f"- {_contact_line(turn, target)}" for target in result.redirects]
    if result.verdict == "borderline":
        lines += ["", _contact_line(turn, "zvh")]
    if result.advice:
        lines += ["", turn.t("check.also")]
        lines += [f"- {_contact_line(turn, key)}" for key in result.advice]
    lines += ["", turn.t("check.disclaimer")]
    return lines


class CheckConversation:
    kind = "check"

    async def start(self, turn: Turn, argument: str) -> DialogueState | None:
        first = turn.definitions.criteria.questions[0]
        state = DialogueState(self.kind, first.key, {"answers": {}})
        forms.ask(turn, state, first, PREFIX, lead=turn.t("check.intro"))
        return state

    async def resume(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        if state.step == "offer_referral":
            return await self._after_offer(turn, state)
        question = _question(turn, state.step)
        answer = forms.read(turn, state, question)
        if answer is None:
            forms.ask(turn, state, question, PREFIX)
            return state
        state.data["answers"][question.key] = answer
        if isinstance(answer, str) and answer in question.stop:
            turn.say_lines(
                [turn.t(f"check.stop.{question.stop[answer]}"), _contact_line(turn, question.stop[answer])]
            )
            return None
        questions = turn.definitions.criteria.questions
        position = [q.key for q in questions].index(question.key)
        if position + 1 < len(questions):
            state.step = questions[position + 1].key
            forms.ask(turn, state, questions[position + 1], PREFIX)
            return state
        return self._conclude(turn, state)

    def _conclude(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        result = assess(turn.definitions.criteria, turn.definitions.region, state.data["answers"])
        turn.say_lines(_report(turn, result))
        await_offer = result.verdict in ("fits", "borderline") and may_refer(turn.person)
        if not await_offer:
            return None
        state.step = "offer_referral"
        state.data["verdict"] = result.verdict
        turn.offer(state, turn.t("check.offer_referral"), turn.yes_no())
        return state

    async def _after_offer(self, turn: Turn, state: DialogueState) -> DialogueState | None:
        answer = turn.picked(state)
        if answer == "ja":
            return await referral.begin(
                turn, carried=state.data["answers"], check_outcome=state.data["verdict"]
            )
        if answer == "nee":
            turn.say("check.no_referral")
            return None
        turn.reoffer(state)
        return state
