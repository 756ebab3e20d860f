"""Terugkoppeling: anyone on a case posts an update, optionally about an action, optionally a zorgsignaal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from config.catalogue import Catalogue
from handlers.authorization import CASE_WORKERS, Access, may_post_feedback
from handlers.cases.lookup import say_not_found, visible_case
from handlers.cases.picker import PICK, CasePick
from handlers.cases.posting import CONCERN, TEXT, ask_text, on_concern, on_text
from handlers.dialogue.answers import choose
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from storage import actions, cases
from storage import feedback as updates
from storage.models import ActionStatus, Case

KIND = "feedback"
ACTION = "action"
NO_ACTION = "none"
READ_QUESTION = "read_question"
PREPARED = "prepared"  # asked before an overleg, holding no action there: an update on the case


@dataclass
class FeedbackState:
    number: str | None = None
    action_id: int | None = None
    text: str | None = None


Feedback = DialogueState[FeedbackState]
steps: Steps[FeedbackState, Case] = Steps()


def _one_press(texts: Catalogue, lang: str, number: str, step: str, label: str) -> Feedback:
    """A notice's question answered with one word or button, after which the next message is the update."""
    choices = (Choice(step, texts.text(lang, label)),)
    return DialogueState(KIND, step, FeedbackState(number), choices, left_by_notice=True)


def question_answer_state(texts: Catalogue, lang: str, number: str) -> Feedback:
    """The dialogue a question from the procesregisseur leaves open for the melder: one word or button shows it,
    and the next message answers it."""
    return _one_press(texts, lang, number, READ_QUESTION, "feedback.read_question")


def prepared_answer_state(texts: Catalogue, lang: str, number: str) -> Feedback:
    """The dialogue the question before an overleg leaves open for a participant who holds no action: one word or
    button, and the next message is their update on the case."""
    return _one_press(texts, lang, number, PREPARED, "feedback.give_update")


async def _case(turn: Turn, number: str) -> tuple[Case, Access] | None:
    found = await visible_case(turn, number, Access.REFERRAL_STATE, "case.view_for_feedback")
    if found is None or not may_post_feedback(found[1], found[0]):
        say_not_found(turn, number)
        return None
    return found


async def _begin(turn: Turn, number: str) -> Feedback | None:
    found = await _case(turn, number)
    if found is None:
        return None
    case, access = found
    state = DialogueState(KIND, TEXT, FeedbackState(case.number))
    if access < Access.ACTION_LIST and case.state in cases.OPEN_INTAKE:
        # 'antwoord VH-…', as the notice of a question says: the question first, then its answer.
        question = await updates.latest_question(turn.session, case.id)
        if question is not None:
            turn.say("case.question_from_director", text=question.body)
    open_actions = [a for a in await actions.for_case(turn.session, case.id) if a.status is ActionStatus.OPEN]
    if access < Access.ACTION_LIST or not open_actions:
        return ask_text(turn, state)
    state.step = ACTION
    choices = [Choice(str(a.id), f"#{a.seq} {a.description}") for a in open_actions]
    turn.offer(
        state, turn.t("feedback.action_prompt"), [*choices, Choice(NO_ACTION, turn.t("feedback.no_action"))]
    )
    return state


async def _involving(turn: Turn) -> Sequence[Case]:
    return await cases.cases_involving(turn.session, turn.person)


async def _loaded(turn: Turn, state: Feedback) -> Case | None:
    found = await _case(turn, state.data.number or "")
    return None if found is None else found[0]


PICKING = CasePick(KIND, FeedbackState, _involving, _begin, load=_loaded, steps=steps)


@steps(READ_QUESTION)
async def _on_read_question(turn: Turn, state: Feedback, case: Case) -> Feedback:
    if choose(turn, state) is None:
        return state
    question = await updates.latest_question(turn.session, case.id)
    if question is not None:
        turn.say("case.question_from_director", text=question.body)
    return ask_text(turn, state)


@steps.choice(PREPARED)
async def _on_prepared(turn: Turn, state: Feedback, case: Case, picked: str) -> Feedback:
    return ask_text(turn, state)


@steps.choice(ACTION)
async def _on_action(turn: Turn, state: Feedback, case: Case, picked: str) -> Feedback:
    state.data.action_id = None if picked == NO_ACTION else int(picked)
    return ask_text(turn, state)


@steps(TEXT)
async def _on_text(turn: Turn, state: Feedback, case: Case) -> Feedback:
    return await on_text(turn, state)


@steps(CONCERN)
async def _on_concern(turn: Turn, state: Feedback, case: Case) -> Feedback | None:
    return await on_concern(turn, state, case, state.data.action_id)


CONVERSATION = Conversation(
    KIND, CASE_WORKERS, FeedbackState, PICKING.start, PICKING.resume, browsing=frozenset({PICK})
)
