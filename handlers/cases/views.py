"""What each access level shows of a case, as lines of text. Nothing here checks access: callers do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from handlers import recipients
from handlers.authorization import CASE_WORK_ROLES
from handlers.dates.formatting import long_date, short_date
from handlers.dialogue.turn import Turn
from storage import actions, case_file, feedback, people, subjects
from storage.cases import OPEN_INTAKE
from storage.models import Action, ActionStatus, Case, CaseState, Feedback


@dataclass(frozen=True)
class Names:
    """Display names for one view, fetched together so a list costs one query, not one per line."""

    persons: dict[int, str]
    organisations: dict[int, str]
    nobody: str
    active: set[int]  # of the persons, who is still active

    def of(self, person_id: int | None, organisation_id: int | None = None) -> str:
        """'Naam (Organisatie)', or the organisation alone for an action held by an organisation."""
        if person_id is not None and person_id in self.persons:
            return self.persons[person_id]
        if organisation_id is not None and organisation_id in self.organisations:
            return self.organisations[organisation_id]
        return self.nobody


async def names(
    turn: Turn, person_ids: Iterable[int | None], organisation_ids: Iterable[int | None] = ()
) -> Names:
    found = await people.display_names(
        turn.session, {i for i in person_ids if i is not None}, {i for i in organisation_ids if i is not None}
    )
    return _known(turn, found)


def _known(turn: Turn, found: people.DisplayNames) -> Names:
    return Names(found.persons, found.organisations, turn.t("case.nobody"), found.active)


async def action_names(turn: Turn, items: Iterable[Action]) -> Names:
    """The holders' names; an organisation's name only where it holds the action itself (a person's comes with
    their name), so a list of actions held by people costs one query."""
    listed = list(items)
    return await names(
        turn, (a.holder_id for a in listed), (a.holder_organisation_id for a in listed if a.holder_id is None)
    )


def state_label(turn: Turn, case: Case) -> str:
    return turn.t(f"state.{case.state.value}")


def action_line(turn: Turn, action: Action, known: Names, number: str | None = None) -> str:
    """One action on one line that reads on a phone: what, who, by when, and a flag. ``number`` (the case) is
    given where a list spans cases; a case's own list does not repeat it."""
    deadline = short_date(turn.texts, turn.lang, action.deadline, turn.tz)
    if action.status is ActionStatus.DONE:
        flag = turn.t("actions.flag_done")
    elif action.status is ActionStatus.CANCELLED:
        flag = turn.t("actions.flag_cancelled")
    else:
        flag = turn.t("actions.flag_overdue") if action.deadline < turn.now() else ""
    holder = known.of(action.holder_id, action.holder_organisation_id)
    fields = {"seq": action.seq, "description": action.description, "holder": holder, "deadline": deadline}
    if number is None:
        return turn.t("case.action", **fields, flag=flag)
    return turn.t("case.action_of", **fields, number=number, flag=flag)


def _next_meeting(turn: Turn, case: Case) -> str:
    """In the date style of the action lines above it."""
    if case.next_meeting_at is None:
        return turn.t("case.no_meeting")
    return turn.t("case.next_meeting", when=short_date(turn.texts, turn.lang, case.next_meeting_at, turn.tz))


async def action_list_lines(
    turn: Turn, case: Case, items: list[Action] | None = None, known: Names | None = None
) -> list[str]:
    """The deelnemer's view: the action list and the next overleg, no other case content."""
    items = list(await actions.for_case(turn.session, case.id)) if items is None else items
    known = known or await action_names(turn, items)
    lines = [turn.t("case.action_list_title", number=case.number)]
    lines += [f"- {action_line(turn, action, known)}" for action in items] or [turn.t("case.no_actions")]
    lines.append(_next_meeting(turn, case))
    return lines


async def referral_state_lines(turn: Turn, case: Case) -> list[str]:
    """The melder's view of their own referral: its state, and a message of the procesregisseur if any."""
    lines = [turn.t("case.referral_state", number=case.number, state=state_label(turn, case))]
    if case.procesregisseur_id is not None:
        known = await names(turn, [case.procesregisseur_id])
        lines.append(turn.t("case.director", name=known.of(case.procesregisseur_id)))
    # A question belongs to the intake and advice to a redirection: once the case has moved on, neither is news.
    if case.state in (*OPEN_INTAKE, CaseState.ADVIES):
        question = await feedback.latest_question(turn.session, case.id)
        if question is not None:
            lines.append(turn.t("case.question_from_director", text=question.body))
            if case.state in OPEN_INTAKE:  # a question waits for its answer; advice does not
                lines.append(turn.t("case.answer_hint", number=case.number))
    subject = subject_line(turn, case, await subjects.entered_at(turn.session, case.id))
    return lines if subject is None else [*lines, subject]


def subject_line(turn: Turn, case: Case, entered_at: datetime | None, director: bool = False) -> str | None:
    """Whether the betrokkene's identifying details are in (``entered_at``; never what they are: they stay out
    of chat), how the ``director`` of an open case views them, and how to send them while they can still be
    sent; nothing for a closed or redirected case that has none."""
    if entered_at is not None:
        if director and case.state is not CaseState.AFGESLOTEN:
            return turn.t("subject.recorded_director", number=case.number)
        return turn.t("subject.recorded")
    if case.state in (CaseState.AFGESLOTEN, CaseState.ADVIES):
        return None
    return turn.t("subject.missing", number=case.number)


async def full_view_lines(turn: Turn, case: Case) -> list[str]:
    """The procesregisseur's view: the referral, participants, actions, next overleg, unread updates."""
    file = await case_file.read(turn.session, case, CASE_WORK_ROLES)
    known = _known(turn, file.names)
    members, items = file.participants, file.actions
    leefgebieden = ", ".join(turn.t(f"option.leefgebieden.{key}") for key in case.leefgebieden)
    ketens = ", ".join(turn.t(f"option.ketens.{key}") for key in case.ketens)
    lines = [
        turn.t("case.title", number=case.number, state=state_label(turn, case)),
        turn.t("case.melder", name=known.of(case.melder_id)),
        turn.t("case.director", name=known.of(case.procesregisseur_id)),
        turn.t(
            "case.fields",
            gemeente=case.gemeente,
            subject=turn.t(f"option.subject_type.{case.subject_type}"),
            urgency=turn.t(f"option.urgency.{case.urgency}"),
        ),
        turn.t("case.domains", leefgebieden=leefgebieden, ketens=ketens),
        turn.t("case.informed", informed=turn.t(f"option.geinformeerd.{case.informed}")),
        turn.t("case.goal", goal=case.goal),
    ]
    if case.check_outcome:
        lines.append(
            turn.t("case.check_outcome", verdict=turn.t(f"check.verdict_short.{case.check_outcome}"))
        )
    subject = subject_line(turn, case, file.subject_entered_at, director=True)
    lines += [subject] if subject else []
    listed = ", ".join(known.of(m.professional_id, m.organisation_id) for m in members)
    lines.append(turn.t("case.participants", names=listed or turn.t("case.nobody")))
    lines += await action_list_lines(turn, case, items, known)
    open_actions = [action for action in items if action.status is ActionStatus.OPEN]
    unreachable = recipients.unreachable(open_actions, known.active, file.staffed)
    for action in open_actions:
        if action.id in unreachable:
            holder = known.of(action.holder_id, action.holder_organisation_id)
            lines.append(
                turn.t("case.unreachable_holder", action=f"{case.number} #{action.seq}", holder=holder)
            )
    lines.append(turn.t("case.unread", count=file.unread))
    lines += privacy_lines(turn, case)
    return [*lines, *history_lines(turn, file)]


def privacy_lines(turn: Turn, case: Case) -> list[str]:
    """What was decided about the case's data that its procesregisseur must know when reading it: a statement
    the betrokkene disputes (shown, not rewritten), a bewaartermijn extended."""
    lines = [
        turn.t(
            "case.disputed",
            part=turn.t(f"dispute.{dispute['part']}"),
            on=long_date(
                turn.texts, turn.lang, datetime.fromisoformat(dispute["on"]), turn.tz, with_time=False
            ),
        )
        for dispute in case.disputes or []
    ]
    if case.retain_until is not None:
        lines.append(
            turn.t(
                "case.retained",
                until=long_date(turn.texts, turn.lang, case.retain_until, turn.tz, with_time=False),
            )
        )
    return lines


# Where a transition's reason is a key of config/process.toml, the catalogue prefix that names it.
_REASON_LABELS = {CaseState.AFGESLOTEN: "close_reason", CaseState.OPGESCHAALD: "escalation_target"}
HISTORY_SHOWN = 5


def history_lines(turn: Turn, file: case_file.CaseFile) -> list[str]:
    """The case's latest steps, so a procesregisseur taking it over (a colleague, a waarnemer) sees how it got
    here: when, to which state, by whom, and why where a reason was asked."""
    lines = [turn.t("case.history")]
    for step in file.steps[-HISTORY_SHOWN:]:
        why = (
            [turn.t(f"{_REASON_LABELS[step.to_state]}.{step.reason}")]
            if step.to_state in _REASON_LABELS
            else []
        )
        why += [step.note] if step.note else []
        when = short_date(turn.texts, turn.lang, step.at, turn.tz)
        state = turn.t(f"state.{step.to_state.value}")
        actor = file.bare_names.get(step.actor_id, "?")
        line = f"- {when} · {state} · {actor}"
        lines.append(f"{line} — {'; '.join(why)}" if why else line)
    return lines


async def feedback_lines(turn: Turn, items: list[tuple[Feedback, str]]) -> list[str]:
    """Updates with author, time, flags and the action they are about."""
    known = await names(turn, (item.author_id for item, _ in items))
    action_ids = {item.action_id for item, _ in items if item.action_id is not None}
    seqs = await actions.sequence_numbers(turn.session, action_ids)
    lines = []
    for item, number in items:
        when = short_date(turn.texts, turn.lang, item.created_at, turn.tz)
        flag = turn.t("feedback.flag_concern") if item.concern else ""
        unread = turn.t("feedback.flag_unread") if item.read_at is None else ""
        about = f" #{seqs[item.action_id]}" if item.action_id is not None and item.action_id in seqs else ""
        lines.append(f"{number}{about} | {when} | {known.of(item.author_id)}{flag}{unread}\n  {item.body}")
    return lines
