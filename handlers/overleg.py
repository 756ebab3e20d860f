"""The casusoverleg prepares itself (issue 36, part 3).

``prepare_working_days`` (config/process.toml) before a planned overleg, each holder of an open action on the case
is asked how it stands, answered in place as a reminder is (done, a short update, or a new date); an update is
stored as terugkoppeling on the action, through the identifying-data check. On the day, the procesregisseur gets
the agenda: every case of theirs on that day's overleggen with its actions done, open and overdue, how many
updates came in since the question went out, and who has not answered. ``agenda`` shows it on demand, with the
updates themselves.

Both are planned as outbox rows when the overleg is planned, keyed by the overleg's moment, so planning twice asks
nothing twice; a question about an overleg that moved, or a case that closed, is not sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers import recipients
from handlers.authorization import directing_for
from handlers.dialogue.turn import Turn
from handlers.notice_kind import ACTION, NoticeKind, OfAction, References
from storage import actions, outbox, people, stand_ins
from storage.models import (
    Action,
    ActionStatus,
    AuditEntry,
    Case,
    CaseState,
    Feedback,
    OutboxStatus,
    PendingMessage,
    StandIn,
)


@dataclass(frozen=True)
class Preparing(OfAction):
    """The question to a holder before an overleg: which one (its moment, ISO 8601), so it is not asked once the
    overleg moved."""

    meeting: str


@dataclass(frozen=True)
class OverlegDay(References):
    """The procesregisseur's agenda of one day: the day (ISO 8601) and its bounds in UTC, so the cases on it are
    found as it is sent, whatever changed since it was planned."""

    day: str
    start: str
    end: str


@dataclass(frozen=True)
class Meeting(References):
    """The question to a participant who holds no open action: which overleg (its moment, ISO 8601)."""

    meeting: str


PREPARE = NoticeKind(
    "overleg_prepare", Preparing, about=ACTION, line="notice.action_line", personal=True, routine=True
)
PREPARE_PARTICIPANT = NoticeKind("overleg_prepare_participant", Meeting, personal=True, routine=True)
ASKED = (PREPARE, PREPARE_PARTICIPANT)
AGENDA = NoticeKind("overleg_agenda", OverlegDay, personal=True)
NOTICES = (PREPARE, PREPARE_PARTICIPANT, AGENDA)


async def plan(turn: Turn, case: Case) -> None:
    """The questions to the holders and the procesregisseur's agenda for the case's next overleg, where they are
    still ahead. Earlier rows are left alone: one about another moment is not sent (``still_asked``), one about
    this moment is the same row (its key), so nothing is asked twice."""
    meeting, director = case.next_meeting_at, case.procesregisseur_id
    if meeting is None or director is None or turn.definitions.process.prepare_working_days == 0:
        return
    calendar, now = turn.calendar, turn.now()
    day = calendar.local_date(meeting)
    shifted = calendar.shift(day, -turn.definitions.process.prepare_working_days)
    ask_at = calendar.next_allowed(calendar.at(shifted, turn.settings.reminder_time))
    said = meeting.isoformat()
    if now < ask_at < meeting:
        await _ask(turn, case, ask_at, said)
    agenda_at = calendar.next_allowed(calendar.at(day, calendar.window_start))
    if now < agenda_at <= meeting:
        standing_in = await stand_ins.current_for_absent(turn.session, [director], agenda_at)
        for recipient in (director, *(held.stand_in_id for held in standing_in)):
            await _plan_agenda(turn, recipient, day, agenda_at)


async def _plan_agenda(turn: Turn, recipient: int, day: date, at: datetime) -> None:
    """One agenda a day per procesregisseur (its key), whose cases it holds is decided as it is sent."""
    calendar = turn.calendar
    start, end = calendar.at(day, time(0)), calendar.at(day + timedelta(days=1), time(0))
    references = OverlegDay(day.isoformat(), start.isoformat(), end.isoformat())
    await outbox.enqueue_once(
        turn.session,
        f"agenda:{recipient}:{day.isoformat()}",
        recipient_id=recipient,
        kind=AGENDA,
        scheduled_at=at,
        now=turn.now(),
        params={"case": None, **references.as_params()},
    )


async def plan_stand_in_agendas(turn: Turn, held: StandIn) -> None:
    """A waarnemer gets the agenda of each day in the waarneming on which a case of the absent one is discussed
    (with their own cases of that day in it)."""
    calendar, now = turn.calendar, turn.now()
    meetings = await turn.session.scalars(
        select(Case.next_meeting_at).where(
            Case.procesregisseur_id == held.absent_id,
            Case.state != CaseState.AFGESLOTEN,
            Case.next_meeting_at > now,
            Case.next_meeting_at <= held.ends_at,
        )
    )
    for day in sorted({calendar.local_date(meeting) for meeting in meetings if meeting is not None}):
        agenda_at = calendar.next_allowed(calendar.at(day, calendar.window_start))
        if now < agenda_at <= held.ends_at:
            await _plan_agenda(turn, held.stand_in_id, day, agenda_at)


async def _ask(turn: Turn, case: Case, ask_at: datetime, said: str) -> None:
    """Each holder of an open action, about that action; each participant who holds none, about the case. Keyed
    by the overleg's moment: planned again, nothing is asked twice."""
    asked: set[int] = set()
    for action in await actions.for_case(turn.session, case.id):
        if action.status is not ActionStatus.OPEN:
            continue
        for holder in await recipients.action_holders(turn.session, action):
            asked.add(holder)
            await outbox.enqueue_once(
                turn.session,
                f"prepare:{case.number}:{said}:{action.id}:{holder}",
                recipient_id=holder,
                kind=PREPARE,
                scheduled_at=ask_at,
                now=turn.now(),
                params={"case": case.number, **Preparing(action.seq, said).as_params()},
                case_number=case.number,
                action_id=action.id,
            )
    for participant in await recipients.participants(turn.session, case):
        if participant in asked or participant == case.procesregisseur_id:
            continue
        await outbox.enqueue_once(
            turn.session,
            f"prepare:{case.number}:{said}:participant:{participant}",
            recipient_id=participant,
            kind=PREPARE_PARTICIPANT,
            scheduled_at=ask_at,
            now=turn.now(),
            params={"case": case.number, **Meeting(said).as_params()},
            case_number=case.number,
        )


async def still_asked(session: AsyncSession, case: Case | None, row: PendingMessage) -> bool:
    """A question before an overleg goes out only while that overleg is still planned then."""
    meeting = case.next_meeting_at if case is not None else None
    return meeting is not None and meeting == datetime.fromisoformat(str(row.params["meeting"]))


@dataclass
class CaseAgenda:
    """One case on the agenda: its actions by status, the updates since the questions went out, and who was
    asked and has not answered."""

    case: Case
    done: int
    open: int
    overdue: int
    updates: list[Feedback]
    # Who has not answered, each with the numbers of the actions they were asked about and did not answer (none:
    # a participant asked about the case).
    silent: dict[int, list[int]]


def _on_the_day(director_ids: list[int], start: datetime, end: datetime) -> ColumnElement[bool]:
    """The open cases these procesregisseurs direct whose overleg falls between ``start`` and ``end``."""
    return and_(
        Case.procesregisseur_id.in_(director_ids),
        Case.next_meeting_at >= start,
        Case.next_meeting_at < end,
        Case.state != CaseState.AFGESLOTEN,
        Case.restricted_at.is_(None),
    )


async def agenda(
    session: AsyncSession, director_ids: list[int], start: datetime, end: datetime
) -> list[CaseAgenda]:
    """Each case on the day's agenda (``_on_the_day``), with what the agenda says of it."""
    found = await session.scalars(
        select(Case).where(_on_the_day(director_ids, start, end)).order_by(Case.next_meeting_at, Case.number)
    )
    return [await _one(session, case, start) for case in found]


async def _one(session: AsyncSession, case: Case, now: datetime) -> CaseAgenda:
    items = list(await actions.for_case(session, case.id))
    asked = [
        row
        for row in await session.scalars(
            select(PendingMessage).where(
                PendingMessage.case_number == case.number,
                PendingMessage.kind.in_(ASKED),
                PendingMessage.status == OutboxStatus.SENT,
            )
        )
        if await still_asked(session, case, row)
    ]
    since = min((row.scheduled_at for row in asked), default=None)
    updates = (
        list(
            await session.scalars(
                select(Feedback)
                .where(Feedback.case_id == case.id, Feedback.created_at >= since)
                .order_by(Feedback.created_at)
            )
        )
        if since is not None
        else []
    )
    by_id = {action.id: action for action in items}
    # A new date is an answer too; the questions of one overleg all went out at one moment (``since``).
    postponed = (
        set(
            await session.scalars(
                select(AuditEntry.actor_id).where(
                    AuditEntry.case_number == case.number,
                    AuditEntry.event == "action.postpone",
                    AuditEntry.at >= since,
                )
            )
        )
        if since is not None
        else set()
    )
    silent: dict[int, list[int]] = {}
    for row in sorted(asked, key=lambda row: (row.recipient_id, row.params.get("action") or 0)):
        if row.recipient_id in postponed or _answered(row, by_id.get(row.action_id or 0), updates):
            continue
        about = silent.setdefault(row.recipient_id, [])
        if isinstance(seq := row.params.get("action"), int):
            about.append(seq)
    return CaseAgenda(
        case,
        done=sum(action.status is ActionStatus.DONE for action in items),
        open=sum(action.status is ActionStatus.OPEN for action in items),
        overdue=sum(action.status is ActionStatus.OPEN and action.deadline < now for action in items),
        updates=updates,
        silent=silent,
    )


def _answered(row: PendingMessage, action: Action | None, updates: list[Feedback]) -> bool:
    """Done (or gone), or an update on the action by the one asked since they were asked; a participant asked
    about the case, any update of theirs on it."""
    if row.kind == PREPARE_PARTICIPANT:
        return any(item.author_id == row.recipient_id for item in updates)
    if action is None or action.status is not ActionStatus.OPEN:
        return True
    return any(item.author_id == row.recipient_id and item.action_id == action.id for item in updates)


async def agenda_lines(
    session: AsyncSession, texts: Catalogue, language: str, found: list[CaseAgenda], with_updates: bool
) -> list[str]:
    """Per case: its state, its actions, its updates (said in full only ``with_updates``, on demand in chat: a
    notice carries counts and names, not what was written), and who has not answered."""
    named = await people.display_names(
        session,
        {p for item in found for p in item.silent} | {u.author_id for item in found for u in item.updates},
        set(),
    )
    seqs = await actions.sequence_numbers(
        session, {u.action_id for item in found for u in item.updates if u.action_id}
    )
    lines: list[str] = []
    for item in found:
        state = texts.text(language, f"state.{item.case.state.value}")
        lines.append(texts.text(language, "agenda.case", case=item.case.number, state=state))
        lines.append(
            texts.text(language, "agenda.actions", done=item.done, open=item.open, overdue=item.overdue)
        )
        lines.append(texts.text(language, "agenda.updates", count=len(item.updates)))
        if with_updates:
            for update in item.updates:
                about = f" #{seqs[update.action_id]}" if update.action_id in seqs else ""
                lines.append(f"  -{about} {named.persons.get(update.author_id, '?')}: {update.body}")
        if item.silent:
            silent = ", ".join(
                named.persons.get(person, "?") + "".join(f" #{seq}" for seq in seqs)
                for person, seqs in item.silent.items()
            )
            lines.append(texts.text(language, "agenda.silent", names=silent))
    return lines


async def agenda_notice_lines(
    session: AsyncSession, texts: Catalogue, language: str, row: PendingMessage
) -> list[str]:
    """Below the agenda notice: the day's cases as they stand when it is sent."""
    return await agenda_lines(session, texts, language, await _of_row(session, row), with_updates=False)


async def agenda_still_due(session: AsyncSession, case: Case | None, row: PendingMessage) -> bool:
    """An agenda goes out only when a case is still on that day: asked with one query, the agenda itself is
    made once, for the lines below the notice."""
    directors, start, end = await _day_of(session, row)
    return bool(await session.scalar(select(exists().where(_on_the_day(directors, start, end)))))


async def _of_row(session: AsyncSession, row: PendingMessage) -> list[CaseAgenda]:
    return await agenda(session, *await _day_of(session, row))


async def _day_of(session: AsyncSession, row: PendingMessage) -> tuple[list[int], datetime, datetime]:
    """Whose cases an agenda row is about (the recipient's, and those they stand in for), and its day."""
    person = await people.professional_by_id(session, row.recipient_id)
    start, end = (datetime.fromisoformat(str(row.params[key])) for key in ("start", "end"))
    directors = [] if person is None else await directing_for(session, person, start)
    return directors, start, end
