"""What each access level shows of a case, as lines of text. Nothing here checks access: callers do."""

from __future__ import annotations

from handlers.formatting import long_date, short_date
from handlers.turn import Turn
from storage import actions, cases, feedback, people
from storage.models import Action, ActionStatus, Case, Feedback


async def person_label(turn: Turn, person_id: int | None, organisation_id: int | None = None) -> str:
    """'Naam (Organisatie)', or just the organisation for an action held by an organisation."""
    if person_id is not None:
        person = await people.professional_by_id(turn.session, person_id)
        if person is not None:
            organisation = await people.organisation_by_id(turn.session, person.organisation_id)
            return f"{person.name} ({organisation.name})"
    if organisation_id is not None:
        return (await people.organisation_by_id(turn.session, organisation_id)).name
    return turn.t("case.nobody")


def state_label(turn: Turn, case: Case) -> str:
    return turn.t(f"state.{case.state.value}")


async def action_line(turn: Turn, action: Action, number: str) -> str:
    holder = await person_label(turn, action.holder_id, action.holder_organisation_id)
    deadline = short_date(turn.texts, turn.lang, action.deadline, turn.tz)
    overdue = action.status is ActionStatus.OPEN and action.deadline < turn.now()
    flag = turn.t("actions.flag_done") if action.status is ActionStatus.DONE else (
        turn.t("actions.flag_overdue") if overdue else ""
    )
    return f"{number} #{action.seq}: {action.description} | {holder} | {deadline}{flag}"


def _next_meeting(turn: Turn, case: Case) -> str:
    if case.next_meeting_at is None:
        return turn.t("case.no_meeting")
    return turn.t("case.next_meeting", when=long_date(turn.texts, turn.lang, case.next_meeting_at, turn.tz))


async def action_list_lines(turn: Turn, case: Case) -> list[str]:
    """The deelnemer's view: the action list and the next overleg, no other case content."""
    lines = [turn.t("case.action_list_title", number=case.number)]
    items = await actions.for_case(turn.session, case.id)
    lines += [f"- {await action_line(turn, action, case.number)}" for action in items] or [turn.t("case.no_actions")]
    lines.append(_next_meeting(turn, case))
    return lines


async def referral_state_lines(turn: Turn, case: Case) -> list[str]:
    """The melder's view of their own referral: its state, and a question of the procesregisseur if any."""
    lines = [turn.t("case.referral_state", number=case.number, state=state_label(turn, case))]
    if case.procesregisseur_id is not None:
        lines.append(turn.t("case.director", name=await person_label(turn, case.procesregisseur_id)))
    question = await feedback.latest_question(turn.session, case.id)
    if question is not None:
        lines.append(turn.t("case.question_from_director", text=question.body))
    return lines


async def full_view_lines(turn: Turn, case: Case) -> list[str]:
    """The procesregisseur's view: the referral, participants, actions, next overleg, unread updates."""
    leefgebieden = ", ".join(turn.t(f"option.leefgebieden.{key}") for key in case.leefgebieden)
    ketens = ", ".join(turn.t(f"option.ketens.{key}") for key in case.ketens)
    lines = [
        turn.t("case.title", number=case.number, state=state_label(turn, case)),
        turn.t("case.melder", name=await person_label(turn, case.melder_id)),
        turn.t("case.director", name=await person_label(turn, case.procesregisseur_id)),
        turn.t("case.fields", gemeente=case.gemeente, subject=turn.t(f"option.subject_type.{case.subject_type}"),
               urgency=turn.t(f"option.urgency.{case.urgency}")),
        turn.t("case.domains", leefgebieden=leefgebieden, ketens=ketens),
        turn.t("case.informed", informed=turn.t(f"option.geinformeerd.{case.informed}")),
        turn.t("case.goal", goal=case.goal),
    ]
    if case.check_outcome:
        lines.append(turn.t("case.check_outcome", verdict=turn.t(f"check.verdict_short.{case.check_outcome}")))
    members = [
        await person_label(turn, member.professional_id, member.organisation_id)
        for member in await cases.participants(turn.session, case.id)
    ]
    lines.append(turn.t("case.participants", names=", ".join(members) if members else turn.t("case.nobody")))
    lines += await action_list_lines(turn, case)
    lines.append(turn.t("case.unread", count=await feedback.unread_count(turn.session, case.id)))
    return lines


async def feedback_line(turn: Turn, item: Feedback, number: str) -> str:
    author = await person_label(turn, item.author_id)
    when = short_date(turn.texts, turn.lang, item.created_at, turn.tz)
    flag = turn.t("feedback.flag_concern") if item.concern else ""
    unread = turn.t("feedback.flag_unread") if item.read_at is None else ""
    about = ""
    if item.action_id is not None:
        action = await actions.by_id(turn.session, item.action_id)
        about = f" #{action.seq}" if action is not None else ""
    return f"{number}{about} | {when} | {author}{flag}{unread}\n  {item.body}"
