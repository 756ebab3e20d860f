"""Procesregisseurs working the intake queue: review a referral, then accept, redirect or ask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handlers import recipients
from handlers.authorization import DIRECTORS
from handlers.cases.flow import move
from handlers.cases.lifecycle import CASE_ASSIGNED
from handlers.cases.lookup import (
    directed_case,
)
from handlers.cases.picker import PICK, CasePick
from handlers.cases.views import full_view_lines, state_label
from handlers.dates.formatting import short_date
from handlers.dialogue.answers import ask_choice, ask_confirm, confirmed
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.identifying.free_text import read_text
from handlers.notice_kind import NOTHING, Nothing, NoticeKind
from storage import cases, feedback, gemeenten, people
from storage.models import Case, CaseState

KIND = "intake"
# What the melder hears of the decision on their referral; a question or advice is read with 'status'.
REFERRAL_ACCEPTED = NoticeKind("referral_accepted", Nothing)
REFERRAL_REDIRECTED = NoticeKind("referral_redirected", Nothing)
REFERRAL_QUESTION = NoticeKind("referral_question", Nothing)
NOTICES = (REFERRAL_ACCEPTED, REFERRAL_REDIRECTED, REFERRAL_QUESTION)
DECIDE, ASSIGNEE, REDIRECT_TO, ADVICE, QUESTION = "decide", "assignee", "redirect_to", "advice", "question"
DECISIONS = ("accept", "redirect", "ask", "later")
# The advice or the question, confirmed by name before it goes to the melder.
SEND_ADVICE, SEND_QUESTION = "send_advice", "send_question"
TARGETS = ("wijkteam", "regieteam", "veilig_thuis", "wvggz", "anders")


@dataclass
class IntakeState:
    number: str | None = None
    target: str | None = None
    message: str | None = None  # the advice or question typed, until it is confirmed


Intake = DialogueState[IntakeState]
steps: Steps[IntakeState, Case] = Steps()


async def _queued(turn: Turn, queue: Sequence[Case]) -> dict[str, str]:
    """Each referral waiting with its gemeente (and whose gemeente it is: the reader's own, or which colleague is
    its aandachtsfunctionaris), urgency and the day it came in. Every procesregisseur sees every referral."""
    contacts = await gemeenten.contacts(turn.session)
    named = await people.by_ids(turn.session, set(contacts.values()))

    def whose(gemeente: str) -> str:
        owner = contacts.get(gemeente)
        if owner == turn.person.id:
            return f" ({turn.t('intake.yours')})"
        return f" ({turn.t('intake.contact', name=named[owner].name)})" if owner in named else ""

    return {
        case.number: (
            f"{case.number} · {case.gemeente}{whose(case.gemeente)} · {turn.t(f'option.urgency.{case.urgency}')} · "
            f"{short_date(turn.texts, turn.lang, case.created_at, turn.tz)}"
        )
        for case in queue
    }


async def _review(turn: Turn, number: str) -> Intake | None:
    case = await directed_case(turn, number)
    if case is None:
        return None
    if case.state not in cases.OPEN_INTAKE:
        turn.say("intake.already_decided", number=case.number, state=state_label(turn, case))
        return None
    if case.state is CaseState.INGEDIEND:
        await move(turn, case, CaseState.SCREENING)
    turn.say_lines(await full_view_lines(turn, case))
    state = DialogueState(KIND, DECIDE, IntakeState(case.number))
    return ask_choice(turn, state, DECIDE, turn.t("intake.decide"), DECISIONS, "intake.decision")


async def _queue(turn: Turn) -> Sequence[Case]:
    return await cases.intake_queue(turn.session)


PICKING = CasePick(
    KIND,
    IntakeState,
    _queue,
    _review,
    labels=_queued,
    prompt=lambda turn, queue: turn.t("intake.queue", count=len(queue)),
    empty="intake.empty",
    load=lambda turn, state: _open_intake(turn, state.data.number or ""),
    steps=steps,
)


async def _open_intake(turn: Turn, number: str) -> Case | None:
    """The referral while it waits for a decision, as the procesregisseur sees it."""
    case = await directed_case(turn, number)
    return case if case is not None and case.state in cases.OPEN_INTAKE else None


@steps.choice(DECIDE)
async def _on_decide(turn: Turn, state: Intake, case: Case, decision: str) -> Intake | None:
    if decision == "accept":
        directors = sorted(await recipients.directors(turn.session), key=lambda p: p.id != turn.person.id)
        state.step = ASSIGNEE  # oneself first
        turn.offer(state, turn.t("intake.assignee"), [Choice(str(p.id), p.name) for p in directors])
    elif decision == "redirect":
        targets = [k for k in TARGETS if k != "regieteam" or turn.definitions.region.has_regieteam]
        ask_choice(turn, state, REDIRECT_TO, turn.t("intake.redirect_to"), targets, "intake.target")
    elif decision == "ask":
        state.step = QUESTION
        turn.ask_open(state, turn.t("intake.question_prompt"))
    elif decision == "later":
        turn.say("intake.later", number=case.number)
        return None
    return state


@steps.choice(ASSIGNEE)
async def _on_assignee(turn: Turn, state: Intake, case: Case, picked: str) -> Intake | None:
    case.procesregisseur_id = int(picked)
    await move(turn, case, CaseState.GEACCEPTEERD)
    await turn.notify(case.melder_id, REFERRAL_ACCEPTED, case.number, NOTHING)
    if case.procesregisseur_id != turn.person.id:
        await turn.notify(case.procesregisseur_id, CASE_ASSIGNED, case.number, NOTHING)
    turn.say("intake.accepted", number=case.number)
    return None


@steps.choice(REDIRECT_TO)
async def _on_redirect_to(turn: Turn, state: Intake, case: Case, picked: str) -> Intake:
    state.data.target = picked
    state.step = ADVICE
    turn.ask_open(state, turn.t("intake.advice_prompt"))
    return state


@steps(ADVICE, QUESTION)
async def _on_message_to_melder(turn: Turn, state: Intake, case: Case) -> Intake | None:
    """The advice that goes with a redirection, or a question, read and then confirmed by name."""
    text = await read_text(turn, state)
    if text is None:
        return state
    state.data.message = text
    if state.step == ADVICE:
        target = turn.t(f"intake.target.{state.data.target}")
        return ask_confirm(
            turn, state, SEND_ADVICE, turn.t("intake.redirect_confirm", number=case.number, target=target)
        )
    return ask_confirm(turn, state, SEND_QUESTION, turn.t("intake.question_confirm", number=case.number))


@steps(SEND_ADVICE, SEND_QUESTION)
async def _on_send(turn: Turn, state: Intake, case: Case) -> Intake | None:
    """Sent on a yes; a no keeps the referral in the queue as it was, nothing sent."""
    answer = confirmed(turn, state)
    if answer is None:
        return state
    if not answer or state.data.message is None:
        turn.say("intake.not_sent", number=case.number)
        return None
    text, redirect = state.data.message, state.step == SEND_ADVICE
    if redirect:
        text = f"{turn.t(f'intake.target.{state.data.target}')}: {text}"
        await move(turn, case, CaseState.ADVIES, reason=state.data.target)  # counted: advice to whom
    await feedback.add(
        turn.session,
        case_id=case.id,
        action_id=None,
        author_id=turn.person.id,
        body=text,
        concern=False,
        now=turn.now(),
        to_melder=True,
    )
    await turn.audit("case.message_to_melder", case.number)
    told = REFERRAL_REDIRECTED if redirect else REFERRAL_QUESTION
    await turn.notify(case.melder_id, told, case.number, NOTHING)
    turn.say("intake.redirected" if redirect else "intake.asked", number=case.number)
    return None


CONVERSATION = Conversation(
    KIND, DIRECTORS, IntakeState, PICKING.start, PICKING.resume, browsing=frozenset({PICK})
)
