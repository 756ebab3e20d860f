"""The delivery engine: sends due outbox rows through the recipients' channels, at least once, never lost.

One cycle claims a batch under a lease (one short transaction), renders and sends outside any transaction, then
records every outcome in a second short transaction. A process that dies between the two leaves rows whose lease
simply runs out, and the next claim (by any process) sends them again with the same idempotency key.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from bot import metrics
from bot.app import App
from bot.housekeeping import Housekeeping
from bot.loops import ScopeGates, backoff_seconds, sleep_unless, where
from bot.senders import NotHere, Outgoing, PermanentFailure, RateLimited, Sender, TemporaryFailure
from handlers import pacing, recipients
from handlers.all_notices import DECLARED
from handlers.notices import (
    DELIVERY_FAILED,
    Batch,
    Notice,
    Notices,
    Undelivered,
    forward_to_stand_ins,
    leave_answer_open,
    load_batch,
    superseded,
)
from handlers.reminders import ACTION_REMINDERS, MEETING_REMINDER
from storage import audit, outbox
from storage.crypto import StoreKeyError
from storage.models import OutboxStatus, PendingMessage, Professional
from storage.outbox import Outcome

log = logging.getLogger(__name__)

# A row of a kind this version does not know (written by a newer version during a rolling upgrade) waits this long
# for a process that knows it, without using up an attempt.
UNKNOWN_KIND_WAIT = timedelta(minutes=10)
# A row about a restricted case (AVG art. 18) is held, not sent and not cancelled: it goes out once the restriction
# is lifted, looked at again this often.
RESTRICTED_WAIT = timedelta(hours=1)
# Errors of the store itself: the cycle is given up and the store waited for. Anything else one row or one channel
# causes is that row's fault alone.
STORE_ERRORS = (SQLAlchemyError, OSError)


@dataclass(frozen=True)
class Attempt:
    """One row on its way out: the notice to send, and after sending, where it arrived."""

    row: PendingMessage
    notice: Notice | None
    person: Professional | None
    outcome: Outcome | None = None
    conversation: str | None = None
    # The other rows a digest carries in this one message: each is recorded with the message's outcome.
    riders: tuple[PendingMessage, ...] = ()

    def each_row(self) -> list[Attempt]:
        """This attempt, and one for each row that rode along in its digest, with the same outcome."""
        if self.outcome is None:
            return [self]
        return [
            self,
            *(
                replace(self, row=rider, outcome=replace(self.outcome, id=rider.id), riders=())
                for rider in self.riders
            ),
        ]


class DeliveryEngine:
    def __init__(
        self,
        app: App,
        senders: Sequence[Sender],
    ) -> None:
        self._app = app
        self._senders = list(senders)
        self.owner = uuid.uuid4().hex
        settings = app.settings
        self._settings = settings
        self._calendar = app.calendar
        self._notices = Notices(app.texts, app.calendar, settings, DECLARED)
        self._gates = ScopeGates()
        self._slots = asyncio.Semaphore(settings.outbox_concurrency)
        self._housekeeping = Housekeeping(app)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set. A database that goes away is waited for; nothing one row, one channel or
        one step of housekeeping does is fatal (each fails alone, counted and logged, and the others go on)."""
        failures = 0
        while not stop.is_set():
            await self._housekeeping.when_due()
            try:
                claimed = await self.deliver_due()
                failures = 0
                if claimed >= self._settings.outbox_batch_size:
                    continue
                pause = await self._seconds_until_due()
            except STORE_ERRORS as error:
                failures += 1
                pause = min(30.0, backoff_seconds(failures, base=0.5, cap=30.0))
                log.warning("outbox: store unavailable (%s); retrying in %.1fs", type(error).__name__, pause)
            except Exception as error:  # noqa: BLE001 - a bug met in one cycle must not stop every later one
                failures += 1
                pause = min(30.0, backoff_seconds(failures, base=0.5, cap=30.0))
                metrics.ENGINE_FAULTS.labels("deliver").inc()
                log.error("outbox: a delivery cycle failed (%s); again in %.1fs", where(error), pause)
            await sleep_unless(stop, pause)

    async def _seconds_until_due(self) -> float:
        """Until the next row falls due, at most one poll interval (rows may come from other processes).

        A row already due that the last cycle did not take waits for the sending window (or is leased by another
        process): looking again at once would only spin, so then the full interval.
        """
        poll = self._settings.outbox_poll_seconds
        async with self._app.sessions() as session:
            due = await outbox.next_due(session)
        if due is None:
            return poll
        seconds = (due - self._app.now()).total_seconds()
        return poll if seconds <= 0 else min(poll, seconds)

    async def deliver_due(self, recipients: Collection[int] | None = None) -> int:
        """One cycle: claim a batch (of these recipients' rows only, when given), send it, record what happened.

        Returns how many rows were claimed.
        """
        now = self._app.now()
        if self._settings.outbox_held or not self._calendar.may_send(now, urgent=True):
            return 0
        urgent_only = not self._calendar.may_send(now, urgent=False)
        away = [sender.name for sender in self._senders if not sender.ready()]
        if away and len(away) == len(self._senders):
            return 0  # a standby: nothing it could send
        async with self._app.sessions() as session, session.begin():
            claim = partial(
                outbox.claim,
                session,
                now=now,
                lease_until=now + timedelta(seconds=self._settings.outbox_lease_seconds),
                owner=self.owner,
                limit=self._settings.outbox_batch_size,
                urgent_only=urgent_only,
                away=away,
            )
            rows = await claim(recipients=recipients)
            if not rows:
                return 0
            gathering = {row.recipient_id for row in rows if row.gathered_for is not None}
            if gathering:  # the rest of these people's digests, so that each goes out as one message
                rows = [*rows, *await claim(recipients=gathering, gathered_only=True)]
            batch, unreadable = await self._load(session, rows)
            attempts = [await self._prepared(session, batch, unreadable, row, now) for row in rows]
        sent = await asyncio.gather(*(self._attempt(attempt) for attempt in self._digests(attempts, now)))
        done = [each for attempt in sent for each in attempt.each_row()]
        async with self._app.sessions() as session, session.begin():
            await self._record(session, batch, done)
        await self._leave_answers_open(done)
        return len(rows)

    async def _load(
        self, session: AsyncSession, rows: Sequence[PendingMessage]
    ) -> tuple[Batch, dict[int, str]]:
        """The people, actions and cases of the batch, and why any row's could not be read. A value that cannot be
        decrypted fails the whole query, so then the rows are read one by one and only the unreadable ones stay
        behind."""
        try:
            return await load_batch(session, rows), {}
        except STORE_ERRORS:
            raise
        except Exception as error:  # noqa: BLE001 - read again row by row to find the one at fault
            log.warning("outbox: a batch could not be read (%s); reading it row by row", type(error).__name__)
        batch, unreadable = Batch(superseded=superseded(rows)), {}
        for row in rows:
            try:
                batch.add(await load_batch(session, [row]))
            except STORE_ERRORS:
                raise
            except Exception as error:  # noqa: BLE001 - this row alone
                unreadable[row.id] = _reason(error)
        return batch, unreadable

    async def _prepared(
        self,
        session: AsyncSession,
        batch: Batch,
        unreadable: dict[int, str],
        row: PendingMessage,
        now: datetime,
    ) -> Attempt:
        """The row with its notice, or with the outcome that keeps it from going out (and keeps it from stopping
        the rest): left for a version that knows its kind, or failed with the reason."""
        person = batch.people.get(row.recipient_id)
        failed = tuple(row.failed_channels)
        if not self._notices.knows(row.kind):
            metrics.UNSENDABLE.labels("unknown_kind").inc()
            log.warning(
                "outbox: row %s has a kind this version does not know; left for one that does", row.id
            )
            due = now + UNKNOWN_KIND_WAIT
            outcome = Outcome(row.id, OutboxStatus.PENDING, due, None, failed, "unknown kind", refund=True)
            return Attempt(row, None, person, outcome)
        case = batch.cases.get(row.case_number) if row.case_number else None
        if case is not None and case.restricted_at is not None:
            due = now + RESTRICTED_WAIT
            outcome = Outcome(row.id, OutboxStatus.PENDING, due, None, failed, "case restricted", refund=True)
            return Attempt(row, None, person, outcome)
        kind = self._notices.kinds[row.kind]
        aside = pacing.set_aside(person, row, kind, self._calendar, self._settings, now) if person else None
        if aside is not None:
            outcome = Outcome(
                row.id, OutboxStatus.PENDING, aside.until, None, failed, aside.reason, True, aside.until
            )
            return Attempt(row, None, person, outcome)
        reason = unreadable.get(row.id)
        if reason is None:
            on_time = person is not None and pacing.in_digest(person, row, now)
            try:
                return Attempt(row, await self._notices.render(session, batch, row, now, on_time), person)
            except STORE_ERRORS:
                raise
            except Exception as error:  # noqa: BLE001 - this row alone
                reason = _reason(error)
        metrics.UNSENDABLE.labels("unreadable" if row.id in unreadable else "render").inc()
        log.error("outbox: row %s (%s) cannot be made into a message: %s", row.id, row.kind, reason)
        outcome = Outcome(row.id, OutboxStatus.FAILED, failed_channels=failed, error=reason[:120])
        return Attempt(row, None, person, outcome)

    def _digests(self, attempts: Sequence[Attempt], now: datetime) -> list[Attempt]:
        """The rows that waited for a recipient's digest, as one message per recipient; one row alone goes as it
        is, with its answers in place. The rest are left as they are."""
        gathered: dict[int, list[Attempt]] = {}
        kept: list[Attempt] = []
        for attempt in attempts:
            person, notice = attempt.person, attempt.notice
            if attempt.outcome is None and notice and person and pacing.in_digest(person, attempt.row, now):
                gathered.setdefault(person.id, []).append(attempt)
            else:
                kept.append(attempt)
        for group in gathered.values():
            if len(group) == 1:
                kept.append(group[0])
                continue
            first, person = group[0], group[0].person
            assert person is not None, "grouped by person"
            notices = [attempt.notice for attempt in group if attempt.notice is not None]
            digest = self._notices.digest(person, notices)
            kept.append(replace(first, notice=digest, riders=tuple(attempt.row for attempt in group[1:])))
        return kept

    async def _leave_answers_open(self, attempts: Sequence[Attempt]) -> None:
        """The question each sent notice asks becomes the recipient's open dialogue, each in a transaction of its
        own after the outcomes are recorded: two processes delivering to the same people at once would otherwise
        wait on each other's dialogue rows (and deadlock), and a failure here must not undo what was sent."""
        now = self._app.now()
        timeout = timedelta(minutes=self._settings.dialogue_timeout_minutes)
        for attempt in attempts:
            answer = attempt.notice.answer if attempt.notice else None
            sent = attempt.outcome is not None and attempt.outcome.status is OutboxStatus.SENT
            if not sent or answer is None or attempt.conversation is None:
                continue
            try:
                async with self._app.sessions() as session, session.begin():
                    await leave_answer_open(
                        session, attempt.row.recipient_id, attempt.conversation, answer, now, timeout
                    )
            except SQLAlchemyError as error:
                log.warning("a notice's question was not left open: %s", type(error).__name__)

    async def _attempt(self, attempt: Attempt) -> Attempt:
        row, person = attempt.row, attempt.person
        if attempt.outcome is not None:  # settled before sending
            return attempt
        if attempt.notice is None or person is None:
            return replace(attempt, outcome=Outcome(row.id, OutboxStatus.CANCELLED))
        failed = tuple(row.failed_channels)
        reachable = [
            (sender, address)
            for sender in self._senders
            if sender.name not in failed and (address := sender.address(person)) is not None
        ]
        if not reachable:
            return replace(
                attempt,
                outcome=Outcome(row.id, OutboxStatus.FAILED, failed_channels=failed, error="no channel"),
            )
        sender, address = reachable[0]
        message = Outgoing(row.idempotency_key, attempt.notice.reply, row.urgent)
        async with self._slots:
            return await self._send(attempt, sender, address, message, failed, more=len(reachable) > 1)

    async def _send(
        self,
        attempt: Attempt,
        sender: Sender,
        address: str,
        message: Outgoing,
        failed: tuple[str, ...],
        more: bool,
    ) -> Attempt:
        """Send once, waiting out rate limits within the lease; sort any failure into retry or give up."""
        row = attempt.row
        scope = sender.scope(address)
        deadline = time.monotonic() + self._settings.outbox_lease_seconds / 2
        while True:
            await self._gates.wait(scope)
            try:
                conversation = await sender.send(address, message)
            except RateLimited as limited:
                self._gates.hold(limited.scope or scope, limited.retry_after)
                if time.monotonic() + limited.retry_after < deadline:
                    continue
                due = self._app.now() + timedelta(seconds=limited.retry_after)
                return replace(
                    attempt,
                    outcome=Outcome(row.id, OutboxStatus.PENDING, due, sender.name, failed, "rate limited"),
                )
            except PermanentFailure:
                return replace(attempt, outcome=self._given_up(row, sender.name, failed, more))
            except NotHere:
                due = self._app.now() + timedelta(seconds=2 * self._settings.outbox_poll_seconds)
                outcome = Outcome(row.id, OutboxStatus.PENDING, due, sender.name, failed, refund=True)
                return replace(attempt, outcome=outcome)
            except (TimeoutError, TemporaryFailure, OSError) as error:
                return replace(attempt, outcome=self._temporary(row, sender.name, failed, more, error))
            except Exception as error:  # noqa: BLE001 - a channel's bug must not stop the other deliveries
                log.error("outbox: %s channel raised %s", sender.name, type(error).__name__)
                return replace(attempt, outcome=self._temporary(row, sender.name, failed, more, error))
            self._gates.succeeded(scope)
            return replace(
                attempt,
                outcome=Outcome(row.id, OutboxStatus.SENT, channel=sender.name, failed_channels=failed),
                conversation=conversation,
            )

    def _temporary(
        self, row: PendingMessage, channel: str, failed: tuple[str, ...], more: bool, error: BaseException
    ) -> Outcome:
        if row.attempts >= self._settings.outbox_max_attempts:
            return self._given_up(row, channel, failed, more)
        due = self._app.now() + timedelta(seconds=backoff_seconds(row.attempts))
        return Outcome(row.id, OutboxStatus.PENDING, due, channel, failed, type(error).__name__)

    def _given_up(self, row: PendingMessage, channel: str, failed: tuple[str, ...], more: bool) -> Outcome:
        """This channel will not work for this person: the next one now, or no more channels."""
        failed = (*failed, channel)
        if more:
            return Outcome(row.id, OutboxStatus.PENDING, self._app.now(), channel, failed, "unreachable")
        return Outcome(
            row.id, OutboxStatus.FAILED, channel=channel, failed_channels=failed, error="unreachable"
        )

    async def _record(self, session: AsyncSession, batch: Batch, attempts: Sequence[Attempt]) -> None:
        now = self._app.now()
        await outbox.record_outcomes(session, [a.outcome for a in attempts if a.outcome is not None], now)
        count_outcomes(attempts, now)
        sent = [a for a in attempts if a.outcome is not None and a.outcome.status is OutboxStatus.SENT]
        await audit.record_many(
            session,
            [
                {
                    "at": now,
                    "actor_id": a.row.recipient_id,
                    "on_behalf_of": None,
                    "event": f"notice.{a.row.kind}",
                    "case_number": a.row.case_number,
                    "channel": a.outcome.channel if a.outcome else None,
                }
                for a in sent
            ],
        )
        for attempt in attempts:
            if attempt.outcome is not None and attempt.outcome.status is OutboxStatus.FAILED:
                await self._report(session, batch, attempt.row, now)
        final = (OutboxStatus.SENT, OutboxStatus.FAILED)
        handled = [a.row for a in attempts if a.notice and a.outcome and a.outcome.status in final]
        await forward_to_stand_ins(session, batch, handled, now, self._notices.kinds)

    async def _report(self, session: AsyncSession, batch: Batch, row: PendingMessage, now: datetime) -> None:
        """A message no channel could deliver goes to the case's procesregisseur, who can pick up the phone."""
        case = batch.cases.get(row.case_number) if row.case_number else None
        log.warning("outbox: message %s could not be delivered on any channel", row.id)
        if row.kind == DELIVERY_FAILED or case is None:
            return
        for director in recipients.director(case, besides=row.recipient_id):
            await outbox.enqueue(
                session,
                recipient_id=director,
                kind=DELIVERY_FAILED,
                params={"case": case.number, **Undelivered(row.recipient_id).as_params()},
                case_number=case.number,
                scheduled_at=self._calendar.next_allowed(now, urgent=row.urgent),
                now=now,
                urgent=row.urgent,
            )


def _outcome_word(outcome: Outcome) -> str:
    if outcome.status is OutboxStatus.SENT:
        return "sent"
    if outcome.status is OutboxStatus.FAILED:
        return "failed"
    if outcome.status is OutboxStatus.CANCELLED:
        return "dropped"
    return {"rate limited": "rate_limited", "unreachable": "fallback"}.get(outcome.error or "", "retried")


REMINDERS = (*ACTION_REMINDERS, MEETING_REMINDER)


def count_outcomes(attempts: Sequence[Attempt], now: datetime) -> None:
    """Deliveries by channel and outcome, and how late the reminders among them went out."""
    for attempt in attempts:
        if attempt.outcome is None:
            continue
        metrics.DELIVERIES.labels(attempt.outcome.channel or "none", _outcome_word(attempt.outcome)).inc()
        if attempt.outcome.status is OutboxStatus.SENT and attempt.row.kind in REMINDERS:
            # Late from when it was to go: a reminder set aside for a digest or a return is not late for waiting.
            meant = attempt.row.gathered_for or attempt.row.scheduled_at
            metrics.REMINDER_LATENESS.observe(max(0.0, (now - meant).total_seconds()))


def _reason(error: Exception) -> str:
    """Why a row cannot go out, fit for the log and the row: a key error says which key and column (never a
    value); anything else is named by its type, since its text may hold what was stored."""
    return str(error) if isinstance(error, StoreKeyError) else type(error).__name__
