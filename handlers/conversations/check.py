"""The anonymous check 'Hoort dit bij het Veiligheidshuis?', driven by config/criteria.toml.

Nothing identifying is asked; the answers live only in the dialogue state and, if the person goes on
to refer the case, are carried into the referral.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from config.definitions import Question
from handlers.authorization import ANYONE, CASE_WORKERS
from handlers.check_rules import Assessment, assess, next_question
from handlers.conversations import questions, referral
from handlers.conversations.questions import Answer
from handlers.dialogue.answers import ask_confirm, confirmed
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.state import DialogueState, OutdatedDialogue
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from storage import check_tallies

KIND = "check"
PREFIX = "check.q"
MAX_REASONS = 3
QUESTION = "question"
OFFER_REFERRAL = "offer_referral"


@dataclass
class CheckState:
    question: str
    answers: dict[str, Answer] = field(default_factory=dict)
    verdict: str | None = None


Check = DialogueState[CheckState]
steps: Steps[CheckState, None] = Steps()


def _contact_line(turn: Turn, key: str) -> str:
    contact = turn.definitions.region.contacts[key]
    return turn.t(f"check.contact.{key}", name=contact.name, phone=contact.phone)


def _reasons(turn: Turn, result: Assessment) -> list[str]:
    """The facts that decided it, one line per criterion (A, B, C, D: the letter their name starts with), at
    most three."""
    by_criterion: dict[str, list[str]] = {}
    for name, value in result.facts.items():
        truth = "unknown" if value is None else str(value).lower()
        by_criterion.setdefault(name[0], []).append(turn.t(f"check.fact.{name}.{truth}"))
    return [f"- {' '.join(texts)}" for texts in list(by_criterion.values())[:MAX_REASONS]]


def _report(turn: Turn, result: Assessment) -> list[str]:
    """The outcome and where to go first (what a person acts on), the reasons after."""
    lines = [turn.t(f"check.verdict.{result.verdict}")]
    if result.redirects:
        lines += ["", turn.t("check.redirect_to")]
        lines += [f"- {_contact_line(turn, target)}" for target in result.redirects]
    if result.verdict == "borderline":
        lines += ["", _contact_line(turn, "zvh")]
    if result.advice:
        lines += ["", turn.t("check.also")]
        lines += [f"- {_contact_line(turn, key)}" for key in result.advice]
    lines += ["", turn.t("check.reasons"), *_reasons(turn, result), "", turn.t("check.disclaimer")]
    return lines


def _ask(turn: Turn, state: Check, question: Question, lead: str | None = None) -> Check:
    state.step, state.data.question = QUESTION, question.key
    questions.ask(turn, state, question, PREFIX, lead=lead)
    return state


async def start(turn: Turn, argument: str) -> Check:
    first = turn.definitions.criteria.questions[0]
    return _ask(turn, DialogueState(KIND, QUESTION, CheckState(first.key)), first, turn.t("check.intro"))


@steps(QUESTION)
async def _on_answer(turn: Turn, state: Check, _: None) -> Check | None:
    keys = [q.key for q in turn.definitions.criteria.questions]
    if state.data.question not in keys:
        raise OutdatedDialogue(KIND)  # the ZVH changed its questions since this check began
    position = keys.index(state.data.question)
    question = turn.definitions.criteria.questions[position]
    answer = await questions.read(turn, state, question)
    if answer is None:
        questions.ask(turn, state, question, PREFIX)
        return state
    state.data.answers[question.key] = answer
    if isinstance(answer, str) and answer in question.stop:
        await check_tallies.count(turn.session, turn.today(), question.stop[answer])
        contact = turn.definitions.region.contacts[question.stop[answer]]
        turn.say(f"check.stop.{question.stop[answer]}", name=contact.name, phone=contact.phone)
        return None
    criteria, region = turn.definitions.criteria, turn.definitions.region
    following = next_question(criteria, region, state.data.answers, position + 1)
    if following is not None:
        return _ask(turn, state, following)
    return await _conclude(turn, state)


async def _conclude(turn: Turn, state: Check) -> Check | None:
    result = assess(turn.definitions.criteria, turn.definitions.region, state.data.answers)
    await check_tallies.count(turn.session, turn.today(), result.verdict)
    turn.say_lines(_report(turn, result))
    if result.verdict not in ("fits", "borderline") or not CASE_WORKERS.allows(turn.person):
        return None
    state.data.verdict = result.verdict
    return ask_confirm(turn, state, OFFER_REFERRAL, turn.t("check.offer_referral"))


@steps(OFFER_REFERRAL)
async def _on_offer(turn: Turn, state: Check, _: None) -> DialogueState[Any] | None:
    answer = confirmed(turn, state)
    if answer is None:
        return state
    if answer:
        return referral.begin(turn, carried=state.data.answers, check_outcome=state.data.verdict)
    turn.say("check.no_referral")
    return None


async def resume(turn: Turn, state: Check) -> Check | None:
    return await steps.run(turn, state, None)


def progress(turn: Turn, state: Check) -> tuple[int, int] | None:
    return questions.position(turn.definitions.criteria.questions, state.data.question)


CONVERSATION = Conversation(KIND, ANYONE, CheckState, start, resume, progress=progress)
