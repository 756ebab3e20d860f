"""``afwezig tot …``: a professional marks themselves away until the day they are back (issue 36, part 4).

Meanwhile their routine reminders wait (``handlers.pacing``), and the procesregisseur of each case where they hold
an open action is told who holds what, so that nothing waits unseen: they can hand an action over with 'wijzig'.
'weer aanwezig' (or the date passing) ends it; the reminders that waited come then, and the procesregisseurs hear
it. A procesregisseur going away is pointed at the waarneming, which hands over their own cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers import pacing
from handlers.authorization import ANYONE, directs_cases
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import ask_confirm
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.date_step import DateStep
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.notice_kind import NoticeKind, OfPerson, References
from handlers.plain_text import fold
from storage import outbox, people
from storage.models import Action, ActionStatus, Case, CaseState, PendingMessage, Professional

KIND, PRESENT = "away", "present"
END = "end"
UNTIL = DateStep("until", "away.until_prompt", default_time_setting="reminder_time")
# 'tot en met vrijdag': away on Friday too, back the day after.
THROUGH = ("tot en met", "t/m", "tm", "through", "up to and including")
LEADING = ("tot", "until", "till")
ENDING = ("stop", "uit", "klaar", "niet meer", "einde", "off", "end")
LONGEST = timedelta(days=366)


@dataclass(frozen=True)
class Away(References):
    person: int  # who is away
    until: str  # when their reminders come again, ISO 8601
    back: str  # the day they said they are back, ISO 8601: the notice is not sent once that changed


HOLDER_AWAY = NoticeKind("holder_away", Away)
HOLDER_BACK = NoticeKind("holder_back", OfPerson)
NOTICES = (HOLDER_AWAY, HOLDER_BACK)


@dataclass
class AwayState:
    through: bool = False  # the day named is the last day away


AwayDialogue = DialogueState[AwayState]
steps: Steps[AwayState, None] = Steps()


async def _professional(turn: Turn) -> Professional:
    """The person writing, as stored: their absence and digest time are not part of the turn's author."""
    person = await people.professional_by_id(turn.session, turn.person.id)
    assert person is not None, "the dispatcher found them"
    return person


def _said(turn: Turn, moment: datetime) -> str:
    return long_date(turn.texts, turn.lang, moment, turn.tz)


async def start(turn: Turn, argument: str) -> AwayDialogue | None:
    """The date may come with the entry words ('afwezig tot maandag'); without one they are asked for it, or, when
    away already, whether they are back."""
    words = fold(argument)
    state = DialogueState(KIND, UNTIL.name, AwayState())
    person = await _professional(turn)
    back = pacing.back_at(person, turn.calendar, turn.settings)
    if words in ENDING:
        await _end(turn, person)
        return None
    if not words and back is not None and back > turn.now():
        lead = turn.t("away.running", when=_said(turn, back))
        return ask_confirm(turn, state, END, f"{lead}\n{turn.t('away.end_confirm')}")
    if not words:
        UNTIL.ask(turn, state)
        return state
    return await _read_until(turn, state, words)


def _without_lead(state: AwayDialogue, words: str) -> str:
    """The day in 'tot maandag', 'afwezig t/m vrijdag' (the entry word typed again as the answer); 't/m' marks it
    as the last day away."""
    for lead in ("afwezig ", "away "):
        words = words.removeprefix(lead)
    for word in THROUGH:
        if words.startswith(word + " "):
            state.data.through = True
            return words[len(word) + 1 :]
    for word in LEADING:
        if words.startswith(word + " "):
            return words[len(word) + 1 :]
    return words


async def _read_until(turn: Turn, state: AwayDialogue, words: str | None) -> AwayDialogue | None:
    """Read (or confirm) the day; saved once confirmed."""
    phrase = None if words is None else _without_lead(state, words)
    moment = UNTIL.handle(turn, state, phrase, refuse=lambda moment: _refusal(turn, moment))
    if not isinstance(moment, datetime):
        return state
    await _save(turn, state, moment)
    return None


async def resume(turn: Turn, state: AwayDialogue) -> DialogueState[Any] | None:
    return await steps.run(turn, state, None)


def _refusal(turn: Turn, moment: datetime) -> str | None:
    today = turn.calendar.local_date(turn.now())
    if turn.calendar.local_date(moment) <= today:
        return turn.t("away.not_later")
    if moment > turn.now() + LONGEST:
        return turn.t("away.too_far")
    return None


@steps(*UNTIL.steps)
async def _on_until(turn: Turn, state: AwayDialogue, _: None) -> AwayDialogue | None:
    words = fold(turn.incoming.text) if state.step == UNTIL.name else None
    return await _read_until(turn, state, words)


@steps.on_yes(END)
async def _on_end(turn: Turn, state: AwayDialogue, _: None) -> None:
    await _end(turn, await _professional(turn))


async def _save(turn: Turn, state: AwayDialogue, moment: datetime) -> None:
    day = turn.calendar.local_date(moment) + timedelta(days=1 if state.data.through else 0)
    person = await _professional(turn)
    person.away_until = day
    back = pacing.back_at(person, turn.calendar, turn.settings)
    assert back is not None, "just set"
    references = Away(turn.person.id, back.isoformat(), day.isoformat())
    told = await _tell_directors(turn, HOLDER_AWAY, references, f"away:{turn.person.id}:{day.isoformat()}")
    lines = [turn.t("away.saved", when=_said(turn, back))]
    if told:
        lines.append(turn.t("away.told", count=told))
    if directs_cases(turn.person):
        lines.append(turn.t("away.stand_in_hint"))
    turn.say_lines(lines)
    await turn.audit("away.set")


async def _end(turn: Turn, person: Professional) -> None:
    was_away = person.away_until is not None and person.away_until > turn.calendar.local_date(turn.now())
    person.away_until = None
    if not was_away:
        turn.say("away.not_away")
        return
    await outbox.release_set_aside(turn.session, turn.person.id, pacing.ROUTINE, turn.now())
    await _tell_directors(turn, HOLDER_BACK, OfPerson(turn.person.id), None)
    turn.say("away.ended")
    await turn.audit("away.ended")


async def _held_cases(session: AsyncSession, person_id: int) -> list[Case]:
    """The open cases where the person holds an open action by name, each once."""
    query = (
        select(Case)
        .join(Action, Action.case_id == Case.id)
        .where(
            Action.holder_id == person_id,
            Action.status == ActionStatus.OPEN,
            Case.state != CaseState.AFGESLOTEN,
            Case.procesregisseur_id.is_not(None),
        )
        .distinct()
        .order_by(Case.number)
    )
    return list((await session.scalars(query)).all())


async def _tell_directors(turn: Turn, kind: NoticeKind[Any], references: References, key: str | None) -> int:
    """One notice per case to its procesregisseur (not to themselves); with ``key``, once per absence, however often
    it is set. Returns how many cases it told about."""
    told = 0
    for case in await _held_cases(turn.session, turn.person.id):
        director = case.procesregisseur_id
        if director is None or director == turn.person.id:
            continue
        told += 1
        if key is None:
            await turn.notify(director, kind, case.number, references)
            continue
        await outbox.enqueue_once(
            turn.session,
            f"{key}:{case.number}",
            recipient_id=director,
            kind=kind,
            params={"case": case.number, **references.as_params()},
            case_number=case.number,
            scheduled_at=turn.calendar.next_allowed(turn.now()),
            now=turn.now(),
        )
    return told


async def still_away(session: AsyncSession, case: Case | None, row: PendingMessage) -> bool:
    """Told only while the absence it is about still stands as it was set."""
    person = await people.professional_by_id(session, int(row.params["person"]))
    return person is not None and person.away_until == date.fromisoformat(str(row.params["back"]))


async def still_back(session: AsyncSession, case: Case | None, row: PendingMessage) -> bool:
    person = await people.professional_by_id(session, int(row.params["person"]))
    return person is not None and person.away_until is None


async def held_actions(
    session: AsyncSession, texts: Catalogue, language: str, row: PendingMessage
) -> list[str]:
    """Below the notice: the actions the absent person holds on the case, as they stand when it is sent."""
    query = (
        select(Action)
        .join(Case, Case.id == Action.case_id)
        .where(
            Case.number == row.case_number,
            Action.holder_id == int(row.params["person"]),
            Action.status == ActionStatus.OPEN,
        )
        .order_by(Action.seq)
    )
    lines = [
        texts.text(language, "away.held", action=action.seq, description=action.description)
        for action in await session.scalars(query)
    ]
    return [*lines, texts.text(language, "away.hand_over", case=row.case_number)]


CONVERSATION = Conversation(KIND, ANYONE, AwayState, start, resume)


async def start_back(turn: Turn, argument: str) -> None:
    """'weer aanwezig': the absence ends now."""
    await _end(turn, await _professional(turn))


BACK = Conversation(PRESENT, ANYONE, AwayState, start_back)
