"""Registering an aanmelding: the non-identifying fields as a guided form, then a numbered case."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from config.definitions import load_definitions
from handlers import recipients
from handlers.authorization import CASE_WORKERS
from handlers.conversations import questions
from handlers.conversations.questions import Answer
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import ask_confirm, confirmed
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState, OutdatedDialogue
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.identifying import forms
from handlers.notice_kind import NOTHING, Nothing, NoticeKind
from handlers.triage import next_triage
from storage import cases
from storage.models import Case, CaseState, PendingMessage

KIND = "referral"
# The procesregisseurs hear of a new referral (as urgent, and said so, when its urgency is high): its gemeente's
# aandachtsfunctionaris first, the rest of the team when nobody has taken it up after some working hours
# (config/process.toml); an urgent one, or one from a gemeente without an aandachtsfunctionaris, the whole team.
NEW_REFERRAL = NoticeKind("new_referral", Nothing, urgent=True)
REFERRAL_WAITING = NoticeKind("referral_waiting", Nothing)
# The term for a first decision (config/process.toml): the procesregisseurs told of the referral are reminded on
# its last working day, the melder hears when it ended without one, and whom to call.
TERM_ENDS = NoticeKind("intake_term_ends", Nothing)
LATE = NoticeKind("intake_late", Nothing)
NOTICES = (NEW_REFERRAL, REFERRAL_WAITING, TERM_ENDS, LATE)
PREFIX = "referral.q"
QUESTION = "question"
CONFIRM, CORRECT, DISCARD = "confirm", "correct", "discard"
# At the summary: send it, change one answer, or (asked once more) throw it away.
SUMMARY_CHOICES = ("send", "correct", "discard")


@dataclass
class ReferralState:
    answers: dict[str, Answer] = field(default_factory=dict)
    check_outcome: str | None = None
    question: str | None = None


Referral = DialogueState[ReferralState]


async def still_new(session: AsyncSession, case: Case | None, row: PendingMessage) -> bool:
    """A new referral's notice is not sent once someone took the referral up: it is no longer new."""
    return case is not None and case.state in cases.OPEN_INTAKE and case.procesregisseur_id is None


async def undecided(session: AsyncSession, case: Case | None, row: PendingMessage) -> bool:
    """The term's notices are sent only while no first decision has been taken."""
    return case is not None and case.state in cases.OPEN_INTAKE


async def whom_to_call(
    session: AsyncSession, texts: Catalogue, language: str, row: PendingMessage
) -> list[str]:
    """Below the melder's 'no decision in time': the ZVH's number (region.toml's contacts.zvh)."""
    zvh = load_definitions().region.contacts.get("zvh")
    return [] if zvh is None else [texts.text(language, "notice.call", name=zvh.name, phone=zvh.phone)]


steps: Steps[ReferralState, None] = Steps()


def begin(turn: Turn, carried: dict[str, Answer] | None = None, check_outcome: str | None = None) -> Referral:
    """A new referral; the check's answers that the referral form asks too are carried over."""
    keys = {question.key for question in turn.definitions.referral_form}
    answers = {key: value for key, value in (carried or {}).items() if key in keys}
    state = DialogueState(KIND, QUESTION, ReferralState(answers, check_outcome))
    lead = turn.t("referral.intro") + (f"\n{turn.t('referral.carried')}" if answers else "")
    return _ask_next(turn, state, lead)


async def start(turn: Turn, argument: str) -> Referral:
    return begin(turn)


def _ask_next(turn: Turn, state: Referral, lead: str | None = None) -> Referral:
    unanswered = [q for q in turn.definitions.referral_form if q.key not in state.data.answers]
    if not unanswered:
        state.step = CONFIRM
        choices = [Choice(key, turn.t(f"referral.summary_choice.{key}")) for key in SUMMARY_CHOICES]
        turn.offer(state, _summary(turn, state.data.answers), choices)
        return state
    state.step, state.data.question = QUESTION, unanswered[0].key
    questions.ask(turn, state, unanswered[0], PREFIX, lead=lead)
    return state


def _summary(turn: Turn, answers: dict[str, Answer]) -> str:
    lines = [turn.t("referral.summary")]
    for question in turn.definitions.referral_form:
        label = questions.answer_label(turn, question, answers[question.key])
        lines.append(f"- {turn.t(f'referral.label.{question.key}')}: {label}")
    lines += ["", turn.t("referral.confirm")]
    return "\n".join(lines)


async def _register(turn: Turn, answers: dict[str, Answer], check_outcome: str | None) -> Case:
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
    urgent = answers["urgency"] == "hoog"
    first, later = await recipients.for_new_referral(turn.session, case.gemeente, now)
    for director in [*first, *later] if urgent else first:
        await turn.notify(director, NEW_REFERRAL, case.number, NOTHING, urgent=urgent)
    if later and not urgent:
        at = turn.calendar.after_working_hours(now, turn.definitions.process.team_after_working_hours)
        for director in later:
            await turn.notify(director, REFERRAL_WAITING, case.number, NOTHING, at=at)
    await _plan_term(turn, case, [*first, *later] if urgent else first)
    return case


async def _plan_term(turn: Turn, case: Case, directors: list[int]) -> None:
    """The term's reminder (the morning of its last working day) and the melder's 'late' (the morning after)."""
    calendar, today = turn.calendar, turn.calendar.local_date(turn.now())
    term = turn.definitions.process.decision_working_days
    last_day = calendar.at(calendar.shift(today, term), calendar.window_start)
    for director in directors:
        await turn.notify(director, TERM_ENDS, case.number, NOTHING, at=last_day)
    after = calendar.at(calendar.shift(today, term + 1), calendar.window_start)
    await turn.notify(case.melder_id, LATE, case.number, NOTHING, at=after)


@steps(QUESTION)
async def _on_answer(turn: Turn, state: Referral, _: None) -> Referral:
    question = next((q for q in turn.definitions.referral_form if q.key == state.data.question), None)
    if question is None:
        raise OutdatedDialogue(KIND)  # the ZVH changed its referral form since this one began
    answer = await questions.read(turn, state, question)
    if answer is None:
        questions.ask(turn, state, question, PREFIX)
        return state
    state.data.answers[question.key] = answer
    return _ask_next(turn, state)


@steps(CONFIRM)
async def _on_summary(turn: Turn, state: Referral, _: None) -> Referral | None:
    choice = turn.picked(state)
    if choice is None:  # 'ja' and 'nee' answer the summary as they always did
        said = turn.pick(turn.yes_no())
        choice = {"ja": "send", "nee": "discard"}.get(said or "")
    if choice == "correct":
        state.step = CORRECT
        form = turn.definitions.referral_form
        labels = [
            Choice(q.key, turn.t(f"referral.label.{q.key}")) for q in form if q.key in state.data.answers
        ]
        turn.offer(state, turn.t("referral.correct_which"), labels)
        return state
    if choice == "discard":
        return ask_confirm(turn, state, DISCARD, turn.t("referral.discard_confirm"))
    if choice != "send":
        turn.reoffer(state)
        return state
    await _send(turn, state)
    return None


@steps.choice(CORRECT)
async def _on_correct(turn: Turn, state: Referral, _: None, key: str) -> Referral | None:
    del state.data.answers[key]  # asked again; the summary comes back once it is answered
    return _ask_next(turn, state)


@steps(DISCARD)
async def _on_discard(turn: Turn, state: Referral, _: None) -> Referral | None:
    answer = confirmed(turn, state)
    if answer is None:
        return state
    if not answer:
        return _ask_next(turn, state)  # back to the summary, nothing lost
    turn.say("referral.cancelled")
    return None


async def _send(turn: Turn, state: Referral) -> None:
    case = await _register(turn, state.data.answers, state.data.check_outcome)
    turn.say("referral.registered", number=case.number)
    triage = next_triage(turn.calendar, turn.definitions.process.triage, turn.now())
    if triage is not None:
        turn.say("referral.triage", when=long_date(turn.texts, turn.lang, triage, turn.tz))
    await forms.offer(turn, case)


async def resume(turn: Turn, state: Referral) -> Referral | None:
    return await steps.run(turn, state, None)


def progress(turn: Turn, state: Referral) -> tuple[int, int] | None:
    return questions.position(turn.definitions.referral_form, state.data.question)


CONVERSATION = Conversation(KIND, CASE_WORKERS, ReferralState, start, resume, progress=progress)
