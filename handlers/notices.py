"""What an outbox row says to its recipient, decided at the moment it is sent.

Rendering late rather than when the row is written means a reminder shows the deadline as it is now, in the
language the person chose by then, and a reminder whose action was completed in the meantime is not sent at all.
A notice's first line, what a phone's lock screen shows, carries the case number, the action number, the kind
and dates only (domain.md Part 3.3). A reminder names the action on a line below it, because a reminder is acted on
where it arrives; the description passed the identifying-data check when it was written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from config.settings import Settings
from handlers.authorization import directing_for, directs_cases
from handlers.dates.formatting import long_date
from handlers.dates.working_days import WorkingCalendar
from handlers.dialogue.messages import Reply
from handlers.dialogue.state import DialogueState
from handlers.notice_kind import ACTION, MEETING, NoticeKind, References
from handlers.reminders import ANSWERABLE, OVERVIEW
from storage import actions, cases, dialogues, feedback, outbox, people, stand_ins
from storage.models import Action, ActionStatus, Case, CaseState, PendingMessage, Professional

# NAMED: the parameters that name a person by id (STAND_IN_FOR: the absent procesregisseur a waarnemer's copy was
# meant for), looked up as the notice is sent.
from storage.outbox import NAMED, STAND_IN_FOR


@dataclass(frozen=True)
class Undelivered(References):
    recipient: int  # whom a notice about the case could not reach


# The procesregisseur hears of a notice about their case that no channel could deliver, and to whom.
DELIVERY_FAILED = NoticeKind("delivery_failed", Undelivered)
NOTICES = (DELIVERY_FAILED,)
# Parameters that hold a key of config/process.toml, with the catalogue section that names it: to whom a case was
# escalated, why it was closed.
CONFIGURED = {"target": "escalation_target", "reason": "close_reason"}


@dataclass(frozen=True)
class Notice:
    """The message, and the question it leaves open for the recipient's answer (reminders)."""

    reply: Reply
    answer: DialogueState[Any] | None = None
    # What it says without the hint on how to answer it in place (a digest says how to answer them all).
    said: str | None = None


# How a kind of notice is answered in place: the dialogue it leaves open for the recipient, if any.
Answer = Callable[[Catalogue, str, PendingMessage, Action | None], DialogueState[Any] | None]
# Whether a row's reason still holds, for a kind whose reason is more than an open action or a planned overleg
# (a referral nobody took up yet, a waarneming that still ends then); given the row's case if it has one.
StillDue = Callable[[AsyncSession, Case | None, PendingMessage], Awaitable[bool]]
# Lines a kind adds below its text, read from the store as it is sent, in the recipient's language.
Details = Callable[[AsyncSession, Catalogue, str, PendingMessage], Awaitable[list[str]]]
# The whole notice, for a kind whose text is not its references said (a request to join: a name someone typed,
# read from its own table); None when it is no longer to be sent.
Written = Callable[[AsyncSession, Catalogue, Professional, PendingMessage], Awaitable[Notice | None]]


@dataclass(frozen=True)
class Declared:
    """Every kind of notice this version writes, and what the few kinds that need more than their references
    do as they are sent, each declared beside the code that sends the kind (``handlers.all_notices``)."""

    kinds: Collection[NoticeKind[Any]]
    answers: Mapping[str, Answer] = field(default_factory=dict)
    still_due: Mapping[str, StillDue] = field(default_factory=dict)
    details: Mapping[str, Details] = field(default_factory=dict)
    written: Mapping[str, Written] = field(default_factory=dict)


@dataclass
class Batch:
    """The people, actions and cases a batch of rows refers to, loaded in three queries."""

    people: dict[int, Professional] = field(default_factory=dict)
    actions: dict[int, Action] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    superseded: set[int] = field(default_factory=set)

    def add(self, other: Batch) -> None:
        """Take in what another batch loaded (rows read one by one)."""
        self.people.update(other.people)
        self.actions.update(other.actions)
        self.cases.update(other.cases)


async def load_batch(session: AsyncSession, rows: Sequence[PendingMessage]) -> Batch:
    """The recipients, and the people the notices name (by id), the actions and the cases of a batch."""
    named = {value for row in rows for key in NAMED if isinstance(value := row.params.get(key), int)}
    return Batch(
        people=await people.by_ids(session, {row.recipient_id for row in rows} | named),
        actions=await actions.by_ids(session, {row.action_id for row in rows if row.action_id is not None}),
        cases=await cases.by_numbers(
            session, {row.case_number for row in rows if row.case_number is not None}
        ),
        superseded=superseded(rows),
    )


def superseded(rows: Sequence[PendingMessage]) -> set[int]:
    """Reminders of one action to one person that fell due together (after downtime: 'due soon', 'due today'
    and 'overdue' at once): all but the most pressing one, which is sent (marked late where it is)."""
    pressing: dict[tuple[int, int], PendingMessage] = {}
    dropped: set[int] = set()
    for row in rows:
        if row.kind not in ANSWERABLE or row.action_id is None:
            continue
        key = (row.recipient_id, row.action_id)
        kept = pressing.get(key)
        if kept is None:
            pressing[key] = row
            continue
        more, less = (row, kept) if ANSWERABLE.index(row.kind) > ANSWERABLE.index(kept.kind) else (kept, row)
        pressing[key] = more
        dropped.add(less.id)
    return dropped


class Notices:
    """Writes out the notices of the kinds declared (``handlers.all_notices.NOTICES``)."""

    def __init__(
        self,
        texts: Catalogue,
        calendar: WorkingCalendar,
        settings: Settings,
        declared: Declared,
    ) -> None:
        self._kinds = {str(kind): kind for kind in declared.kinds}
        self._declared = declared
        self._texts = texts
        self._calendar = calendar
        self._late_after = timedelta(minutes=settings.outbox_late_after_minutes)

    def _date(self, person: Professional, moment: datetime) -> str:
        return long_date(self._texts, person.language, moment, self._calendar.tz)

    @property
    def kinds(self) -> Mapping[str, NoticeKind[Any]]:
        return self._kinds

    def knows(self, kind: str) -> bool:
        """Whether this version can write a notice of this kind (a newer one may have written the row)."""
        return kind in self._kinds

    def relevant(self, batch: Batch, row: PendingMessage) -> bool:
        """False for a row whose reason is gone: a disabled recipient, a completed action, a closed case."""
        person = batch.people.get(row.recipient_id)
        if person is None or not person.active or row.id in batch.superseded:
            return False
        kind = self._kinds[row.kind]
        case = batch.cases.get(row.case_number) if row.case_number else None
        if case is not None and case.state is CaseState.AFGESLOTEN and not kind.after_closing:
            return False
        if kind.about == ACTION and row.action_id is not None:  # rows from before ids were kept: sent
            action = batch.actions.get(row.action_id)
            return action is not None and action.status is ActionStatus.OPEN
        if kind.about == MEETING:
            return case is not None and case.next_meeting_at is not None
        if kind == OVERVIEW:
            return directs_cases(person)
        return True

    async def render(
        self, session: AsyncSession, batch: Batch, row: PendingMessage, now: datetime, on_time: bool = False
    ) -> Notice | None:
        """The notice for ``row``, or None when it should no longer be sent. ``on_time``: it waited for the
        recipient's digest, as they asked, so it is not said to be late."""
        if not self.relevant(batch, row):
            return None
        still_due = self._declared.still_due.get(row.kind)
        case = batch.cases.get(row.case_number) if row.case_number else None
        if still_due is not None and not await still_due(session, case, row):
            return None
        person = batch.people[row.recipient_id]
        if (written := self._declared.written.get(row.kind)) is not None:
            return await written(session, self._texts, person, row)
        params: dict[str, object] = {key: value for key, value in row.params.items() if value is not None}
        for key, shown in NAMED.items():  # names are looked up as the notice is sent, never kept in the row
            if isinstance(ref := params.get(key), int):
                params[shown] = named.name if (named := batch.people.get(ref)) is not None else "?"
        for key, section in CONFIGURED.items():  # a configured key, said in the recipient's language
            if isinstance(value := params.get(key), str):
                params[key] = self._texts.text(person.language, f"{section}.{value}")
        kind, key = self._kinds[row.kind], f"notice.{row.kind}"
        # A moment a notice names besides its deadline (an overleg it prepares) and a day (an agenda's), in full.
        if isinstance(meeting := params.get("meeting"), str):
            params["meeting"] = self._date(person, datetime.fromisoformat(meeting))
        if isinstance(day := params.get("day"), str):
            noon = self._calendar.at(date.fromisoformat(day), time(12))
            params["day"] = long_date(self._texts, person.language, noon, self._calendar.tz, with_time=False)
        action = batch.actions.get(row.action_id) if row.action_id is not None else None
        details: list[str] = []
        if kind.about == ACTION and action is not None:  # the deadline as it stands when the notice goes out
            params["when"] = self._date(person, action.deadline)
            if kind.line is not None:
                said = {"description": action.description, "when": params["when"]}
                details.append(self._texts.text(person.language, kind.line, **said))
        elif kind.about == MEETING:  # the overleg as it stands when the notice goes out, moved or not
            meeting = batch.cases[str(row.case_number)].next_meeting_at
            assert meeting is not None
            params["when"] = self._date(person, meeting)
        elif kind == OVERVIEW:
            details = await self._overview_lines(session, person, now)
        elif "until" in params:
            params["when"] = self._date(person, datetime.fromisoformat(str(params["until"])))
        if kind.urgent and row.urgent:
            key = f"notice.{row.kind}_urgent"
        if (more := self._declared.details.get(row.kind)) is not None:
            details = await more(session, self._texts, person.language, row)
        lines = [self._texts.text(person.language, key, **params), *details]
        if STAND_IN_FOR in params:
            lines.append(self._texts.text(person.language, "notice.stand_in_for", name=params[STAND_IN_FOR]))
        if now - row.scheduled_at > self._late_after and not on_time:
            late = self._date(person, row.scheduled_at)
            lines.append(self._texts.text(person.language, "notice.late", when=late))
        answer = self._answer(row, person.language, action)
        if answer is None:
            return Notice(Reply("\n".join(lines)))
        plain = "\n".join(lines)
        if row.kind in ANSWERABLE:
            lines.append(self._texts.text(person.language, "notice.answer_hint"))
        return Notice(Reply("\n".join(lines), answer.offered, question=answer.fingerprint()), answer, plain)

    def digest(self, person: Professional, notices: Sequence[Notice]) -> Notice:
        """Several reminders as the one message a day the person chose: each as it would have been sent, without
        its buttons; they are answered from 'acties'."""
        language = person.language
        parts = [
            self._texts.text(language, "notice.digest", count=len(notices)),
            *(notice.said or notice.reply.text for notice in notices),
            self._texts.text(language, "notice.digest_hint"),
        ]
        return Notice(Reply("\n\n".join(parts)))

    async def _overview_lines(self, session: AsyncSession, person: Professional, now: datetime) -> list[str]:
        counts = await overview_counts(session, person, now)
        lines = [
            self._texts.text(person.language, f"weekly.{name}", count=count) for name, count in counts.items()
        ]
        return [*lines, self._texts.text(person.language, "weekly.details")]

    def _answer(self, row: PendingMessage, language: str, action: Action | None) -> DialogueState[Any] | None:
        """The question a notice leaves open, so that it is acted on in one step, as the registry declares it for
        the kind (``handlers.all_notices.ANSWERS``): a reminder (done, update, postpone), a question from the
        procesregisseur (read and answer it), an update (read it)."""
        answer = self._declared.answers.get(row.kind)
        return None if answer is None else answer(self._texts, language, row, action)


async def forward_to_stand_ins(
    session: AsyncSession,
    batch: Batch,
    handled: Sequence[PendingMessage],
    now: datetime,
    kinds: Mapping[str, NoticeKind[Any]],
) -> int:
    """A copy, for the colleague standing in, of each notice that reached (or could not reach) a procesregisseur
    about a case they direct: the waarnemer receives what the absent one would. The copy says for whom, so it is
    never copied on. Holder reminders stay personal, and the weekly overview is made for the waarnemer anyway."""
    about_their_cases = [
        row
        for row in handled
        if not kinds[row.kind].personal
        and STAND_IN_FOR not in row.params
        and (case := batch.cases.get(row.case_number or "")) is not None
        and case.procesregisseur_id == row.recipient_id
    ]
    if not about_their_cases:
        return 0
    running = await stand_ins.current_for_absent(
        session, {row.recipient_id for row in about_their_cases}, now
    )
    copies = 0
    for row in about_their_cases:
        for held in running:
            if held.absent_id != row.recipient_id:
                continue
            await outbox.enqueue(
                session,
                recipient_id=held.stand_in_id,
                kind=row.kind,
                params={**row.params, STAND_IN_FOR: row.recipient_id},
                case_number=row.case_number,
                scheduled_at=now,
                now=now,
                urgent=row.urgent,
                action_id=row.action_id,
            )
            copies += 1
    return copies


async def overview_counts(session: AsyncSession, person: Professional, now: datetime) -> dict[str, int]:
    """The figures of a procesregisseur's weekly overview; the details are one 'status' away."""
    directors = await directing_for(session, person, now)
    directed = await cases.directed_by(session, directors)
    unread = await feedback.unread_counts(session, [case.id for case in directed])
    return {
        "cases": len(directed),
        "overdue": len(await actions.overdue_for_director(session, directors, now)),
        "unread": sum(unread.values()),
        "new": len(await cases.intake_queue(session)),
    }


async def leave_answer_open(
    session: AsyncSession,
    person_id: int,
    conversation: str,
    state: DialogueState[Any],
    now: datetime,
    timeout: timedelta,
) -> bool:
    """Make the notice's question the open dialogue, unless the person is in the middle of another one.

    Two processes may deliver to the same person at the same moment and both find no dialogue: the second one's
    insert then fails, and that question stays closed (the caller gives each its own transaction).
    """
    stored = await dialogues.load(session, person_id, conversation)
    if stored is not None and stored.updated_at + timeout >= now:
        return False
    try:
        async with session.begin_nested():
            await dialogues.save(
                session,
                stored,
                person_id=person_id,
                conversation=conversation,
                kind=state.kind,
                step=state.step,
                data=state.to_stored(),
                now=now,
            )
    except IntegrityError:
        return False
    return True
