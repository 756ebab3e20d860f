"""The reminder policy (domain.md Part 1 §4) as outbox rows, planned when the cause is recorded.

Planning every reminder as a row the moment an action or overleg is recorded, rather than keeping timers, is
what makes reminders survive restarts: a reminder that fell due while no process ran is simply an overdue row.
Moving a deadline re-plans; completing an action or closing a case cancels.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from config.settings import Settings
from handlers import overleg, recipients
from handlers.dates.working_days import WorkingCalendar
from handlers.dialogue.turn import Turn
from handlers.notice_kind import ACTION, MEETING, NOTHING, Nothing, NoticeKind, OfAction
from storage import outbox
from storage.models import Action, Case

# Each says the action's deadline ('when'), read as it stands when the reminder goes out.
# A reminder names the action below its first line; the holder's own are not copied to a waarnemer.
LINE = "notice.action_line"
# The holder's own reminders may wait for their digest or their return; the overdue notice to the procesregisseur
# goes at once.
ACTION_DUE_SOON = NoticeKind(
    "action_due_soon", OfAction, about=ACTION, line=LINE, personal=True, routine=True
)
ACTION_DUE_TODAY = NoticeKind(
    "action_due_today", OfAction, about=ACTION, line=LINE, personal=True, routine=True
)
ACTION_OVERDUE = NoticeKind("action_overdue", OfAction, about=ACTION, line=LINE, personal=True, routine=True)
ACTION_OVERDUE_DIRECTOR = NoticeKind("action_overdue_director", OfAction, about=ACTION, line=LINE)
# A reminder snoozed in place ("morgen", "maandag", "volgende week"): again then, the deadline unmoved.
ACTION_SNOOZED = NoticeKind("action_snoozed", OfAction, about=ACTION, line=LINE, personal=True, routine=True)
MEETING_REMINDER = NoticeKind("meeting_reminder", Nothing, about=MEETING, routine=True)
OVERVIEW = NoticeKind("weekly_overview", Nothing, personal=True)  # its lines are counted when it is sent
NOTICES = (
    ACTION_DUE_SOON,
    ACTION_DUE_TODAY,
    ACTION_OVERDUE,
    ACTION_OVERDUE_DIRECTOR,
    ACTION_SNOOZED,
    MEETING_REMINDER,
    OVERVIEW,
)
BEFORE_DEADLINE = (ACTION_DUE_SOON, ACTION_DUE_TODAY)
ACTION_REMINDERS = (*BEFORE_DEADLINE, ACTION_OVERDUE, ACTION_OVERDUE_DIRECTOR, ACTION_SNOOZED)
# Reminders the actiehouder can answer directly (done / update / postpone / later), least pressing first.
ANSWERABLE = (ACTION_SNOOZED, ACTION_DUE_SOON, ACTION_DUE_TODAY, ACTION_OVERDUE)


async def plan_action(turn: Turn, case: Case, action: Action) -> None:
    """Before the deadline, on the day, and the next working day if still open (then also the procesregisseur)."""
    calendar, settings = turn.calendar, turn.settings
    day = calendar.local_date(action.deadline)
    holders = await recipients.action_holders(turn.session, action)
    overdue_at = calendar.at(calendar.shift(day, 1), settings.reminder_time)
    planned: list[tuple[NoticeKind[OfAction], datetime, list[int]]] = [
        (
            ACTION_DUE_SOON,
            calendar.at(calendar.shift(day, -settings.reminder_working_days_before), settings.reminder_time),
            holders,
        ),
        (ACTION_DUE_TODAY, calendar.at(calendar.on_or_before(day), settings.reminder_time), holders),
        (ACTION_OVERDUE, overdue_at, holders),
    ]
    if case.procesregisseur_id is not None:
        planned.append((ACTION_OVERDUE_DIRECTOR, overdue_at, [case.procesregisseur_id]))
    seen: set[datetime] = set()
    for kind, moment, planned_for in planned:
        too_late = kind in BEFORE_DEADLINE and moment >= action.deadline
        if moment <= turn.now() or too_late or (kind in BEFORE_DEADLINE and moment in seen):
            continue
        seen.add(moment)
        for recipient in planned_for:
            await turn.notify(
                recipient, kind, case.number, OfAction(action.seq), at=moment, action_id=action.id
            )


async def replan_action(turn: Turn, case: Case, action: Action) -> None:
    await cancel_action(turn, action)
    await plan_action(turn, case, action)


async def cancel_action(turn: Turn, action: Action) -> None:
    await outbox.cancel(turn.session, ACTION_REMINDERS, action_id=action.id)


async def plan_meeting(turn: Turn, case: Case) -> None:
    """Everyone taking part, and the procesregisseur, the working day(s) before the next overleg; and the
    overleg's preparation (``handlers.overleg``)."""
    await outbox.cancel(turn.session, (MEETING_REMINDER,), case_number=case.number)
    if case.next_meeting_at is None:
        return
    await overleg.plan(turn, case)
    calendar, settings = turn.calendar, turn.settings
    day = calendar.shift(
        calendar.local_date(case.next_meeting_at), -settings.meeting_reminder_working_days_before
    )
    moment = calendar.at(day, settings.reminder_time)
    if not turn.now() < moment < case.next_meeting_at:
        return
    for invitee in await recipients.meeting_invitees(turn.session, case):
        await turn.notify(invitee, MEETING_REMINDER, case.number, NOTHING, at=moment)


def next_overview(calendar: WorkingCalendar, settings: Settings, now: datetime) -> datetime:
    """The next weekly overview moment: the configured weekday (or the first working day after it)."""
    today = calendar.local_date(now)
    day = today - timedelta(days=(today.weekday() - settings.overview_weekday) % 7)
    for _ in range(2):
        working = day
        while not calendar.is_working_day(working):
            working += timedelta(days=1)
        moment = calendar.next_allowed(calendar.at(working, settings.overview_time))
        if moment > now:
            return moment
        day += timedelta(days=7)
    return moment


async def plan_overviews(
    session: AsyncSession, calendar: WorkingCalendar, settings: Settings, now: datetime
) -> int:
    """Make sure every active procesregisseur has a row for the next overview; returns how many were added.

    The row exists a week ahead, so an overview that falls due while no process runs is sent late, not lost.
    The key is derived from person and date, so processes planning at the same time add it only once.
    """
    moment = next_overview(calendar, settings, now)
    day = calendar.local_date(moment).isoformat()
    keys = {f"overview:{director}:{day}": director for director in await recipients.all_directors(session)}
    missing = set(keys) - await outbox.existing_keys(session, keys)
    for key in sorted(missing):
        await outbox.enqueue_once(
            session, key, recipient_id=keys[key], kind=OVERVIEW, scheduled_at=moment, now=now
        )
    return len(missing)
