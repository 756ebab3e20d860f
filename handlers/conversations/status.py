"""Status: one case as far as the person may see it; dashboards for procesregisseurs; counts for the ketenmanager."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.authorization import ANYONE, Access, directs_cases, sees_counts_only
from handlers.cases.lookup import (
    case_or_not_found,
    directed_ids,
    find_case_number,
)
from handlers.cases.views import (
    action_line,
    action_list_lines,
    action_names,
    feedback_lines,
    full_view_lines,
    referral_state_lines,
    state_label,
)
from handlers.conversations import escalation
from handlers.dates.formatting import long_date, short_date
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.date_step import DateStep
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState, NoState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.figures.counts import shown as shown_count
from handlers.plain_text import fold
from storage import actions, cases, feedback, outbox
from storage.models import CaseState
from storage.people import Person

KIND = "status"
MENU = "menu"
VIEWS = ("mine", "overdue", "new", "since")
SINCE = DateStep("since", "status.since_prompt", looking_back=True)
KEYWORDS = {
    "mijn": "mine",
    "mine": "mine",
    "achterstallig": "overdue",
    "overdue": "overdue",
    "nieuw": "new",
    "new": "new",
    "aanmeldingen": "new",
    "sinds": "since",
    "since": "since",
}
Status = DialogueState[NoState]
steps: Steps[NoState, None] = Steps()


def _help_keys(person: Person) -> tuple[str, ...]:
    """Everyone has a status, and what it shows depends on the role."""
    if sees_counts_only(person):
        return ("help.counts",)
    return ("help.status",) + (("help.status_director",) if directs_cases(person) else ())


async def show_case(turn: Turn, number: str) -> None:
    found = await case_or_not_found(turn, number, Access.REFERRAL_STATE, "case.status")
    if found is None:
        return
    case, access = found
    if access is Access.FULL:
        turn.say_lines(await full_view_lines(turn, case))
    elif access is Access.ACTION_LIST:
        turn.say_lines(await action_list_lines(turn, case))
    else:
        turn.say_lines(await referral_state_lines(turn, case))


async def start(turn: Turn, argument: str) -> DialogueState[Any] | None:
    number = find_case_number(argument)
    if number and sees_counts_only(turn.person):  # the ketenmanager reads a case only while it is escalated
        return await escalation.show(turn, number)
    if number:
        await show_case(turn, number)
        return None
    if sees_counts_only(turn.person):
        await _counts(turn)
        return None
    if not directs_cases(turn.person):
        await _melder_overview(turn)
        return None
    words = fold(argument).split(" ", 1)
    view = KEYWORDS.get(words[0]) if words[0] else None
    state = DialogueState(KIND, MENU, NoState())
    if view == "since" and len(words) > 1:
        state.step = SINCE.name
        moment = SINCE.handle(turn, state, words[1])
        if not isinstance(moment, datetime):
            return state
        await _on_since(turn, state, None, moment)
        return None
    if view == "since":
        SINCE.ask(turn, state)
        return state
    if view:
        await _show(turn, view)
        return None
    turn.offer(state, turn.t("status.menu"), [Choice(v, turn.t(f"status.view.{v}")) for v in VIEWS])
    return state


async def resume(turn: Turn, state: Status) -> Status | None:
    number = find_case_number(turn.incoming.text) if state.step == MENU else None
    if number:
        await show_case(turn, number)
        return None
    return await steps.run(turn, state, None)


@steps.choice(MENU)
async def _on_menu(turn: Turn, state: Status, _: None, view: str) -> Status | None:
    if view == "since":
        SINCE.ask(turn, state)
        return state
    await _show(turn, view)
    return None


async def _on_since(turn: Turn, state: Status, _: None, since: datetime | None) -> None:
    assert since is not None, "the date is not optional"
    items = await feedback.since_for_director(turn.session, await directed_ids(turn), since)
    await turn.audit_shown("status.since", (number for _, number in items))
    when = long_date(turn.texts, turn.lang, since, turn.tz)
    lines = [_title(turn, "status.since", len(items), when=when)]
    lines += await feedback_lines(turn, list(items))
    turn.say_lines(lines)


steps.date(SINCE, _on_since)


def _title(turn: Turn, key: str, count: int, **params: object) -> str:
    """A list's heading over its lines ('Uw casussen (3):'), or a sentence of its own when it has none."""
    return turn.t(f"{key}_none", **params) if count == 0 else turn.t(key, count=count, **params)


async def _show(turn: Turn, view: str) -> None:
    now = turn.now()
    if view == "mine":
        mine = await cases.directed_by(turn.session, await directed_ids(turn))
        shown = [case.number for case in mine]
        lines = [_title(turn, "status.mine", len(mine))]
        unread = await feedback.unread_counts(turn.session, [case.id for case in mine])
        for case in mine:
            count = unread.get(case.id, 0)
            lines.append(
                f"- {case.number} · {state_label(turn, case)} · {turn.t('status.unread_short', count=count)}"
            )
        undelivered = await outbox.count_failed(turn.session, [case.number for case in mine])
        if undelivered:
            lines.append(turn.t("status.undelivered", count=undelivered))
    elif view == "overdue":
        overdue = await actions.overdue_for_director(turn.session, await directed_ids(turn), now)
        shown = [number for _, number in overdue]
        lines = [_title(turn, "status.overdue", len(overdue))]
        known = await action_names(turn, (action for action, _ in overdue))
        lines += [f"- {action_line(turn, action, known, number)}" for action, number in overdue]
    else:
        queue = await cases.intake_queue(turn.session)
        shown = [case.number for case in queue]
        lines = [_title(turn, "status.new", len(queue))]
        lines += [
            f"- {c.number} · {c.gemeente} · {short_date(turn.texts, turn.lang, c.created_at, turn.tz)}"
            for c in queue
        ]
    await turn.audit_shown(f"status.{view}", shown)
    turn.say_lines(lines)


async def _melder_overview(turn: Turn) -> None:
    referred = await cases.referred_by(turn.session, turn.person.id)
    await turn.audit_shown("status.own_referrals", (case.number for case in referred))
    lines = [
        turn.t("status.own_referrals", count=len(referred)) if referred else turn.t("status.no_referrals")
    ]
    lines += [f"- {c.number} · {state_label(turn, c)}" for c in referred]
    own = await actions.open_for_holder(turn.session, turn.person)
    lines.append(turn.t("status.own_actions", count=len(own)))
    turn.say_lines(lines)


async def _counts(turn: Turn) -> None:
    """The ketenmanager sees figures, never content, by the figures' one rule: 1 to 4 as '<5', the rest rounded
    to fives (a count of one is a case that can be told apart)."""
    await turn.audit("status.counts")
    counts = await cases.count_by_state(turn.session)
    lines = [turn.t("status.counts")]
    lines += [
        f"- {turn.t(f'state.{state.value}')}: {shown_count(counts.get(state, 0))}" for state in CaseState
    ]
    overdue = await actions.count_overdue(turn.session, turn.now())
    lines.append(turn.t("status.overdue_count", count=shown_count(overdue)))
    turn.say_lines(lines)


CONVERSATION = Conversation(
    KIND, ANYONE, NoState, start, resume, help_keys=_help_keys, browsing=frozenset({MENU, *SINCE.steps})
)
