"""Waarneming: a procesregisseur going away hands their cases to a colleague for a period.

Until the end date the colleague sees those cases as their own (``handlers.authorization.directing_for``), gets a
copy of every notice about them (``handlers.notices.forward_to_stand_ins``), and everything they do there is
audited on behalf of the absent procesregisseur. It ends by itself at the date, or earlier when the absent one
ends it; both are told either way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers import overleg, recipients
from handlers.authorization import DIRECTORS, directs_cases
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import ask_confirm
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.date_step import DateStep
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from handlers.notice_kind import NoticeKind, References
from storage import audit, cases, people, stand_ins
from storage.models import Case, PendingMessage, Professional, StandIn

KIND = "stand_in"
PICK, CONFIRM, END = "pick", "confirm", "end"
UNTIL = DateStep("until", "stand_in.until_prompt")


@dataclass(frozen=True)
class Until(References):
    person: int  # the other one of the two
    until: str  # when it ends, ISO 8601


@dataclass(frozen=True)
class Ended(Until):
    stand_in: int  # the waarneming, so a notice planned for an end date that changed is not sent


STAND_IN_STARTED = NoticeKind("stand_in_started", Until)
# What both are told when it ends, at its end date or when it is ended early; the absent one also reads what was
# done on their behalf (account_lines).
ENDED = (NoticeKind("stand_in_ended", Ended), NoticeKind("stand_in_ended_absent", Ended))
NOTICES = (STAND_IN_STARTED, *ENDED)


@dataclass
class StandInState:
    colleague_id: int | None = None
    until: datetime | None = None


StandInDialogue = DialogueState[StandInState]
steps: Steps[StandInState, None] = Steps()


async def _name(turn: Turn, person_id: int) -> str:
    person = await people.professional_by_id(turn.session, person_id)
    return person.name if person is not None else "?"


def _until(turn: Turn, held: StandIn) -> str:
    return long_date(turn.texts, turn.lang, held.ends_at, turn.tz)


async def start(turn: Turn, argument: str) -> StandInDialogue | None:
    now = turn.now()
    lines = [
        turn.t("stand_in.covering", name=await _name(turn, held.absent_id), when=_until(turn, held))
        for held in await stand_ins.covered_by(turn.session, turn.person.id, now)
    ]
    state = DialogueState(KIND, PICK, StandInState())
    running = await stand_ins.current_for_absent(turn.session, [turn.person.id], now)
    if running:
        held = running[0]
        lines.append(
            turn.t("stand_in.running", name=await _name(turn, held.stand_in_id), when=_until(turn, held))
        )
        return ask_confirm(turn, state, END, "\n".join([*lines, turn.t("stand_in.end_confirm")]))
    colleagues = await recipients.colleagues(turn.session, turn.person)
    if not colleagues:
        turn.say_lines([*lines, turn.t("stand_in.no_colleague")])
        return None
    lines.append(turn.t("stand_in.pick"))
    turn.offer(state, "\n".join(lines), [Choice(str(person.id), person.name) for person in colleagues])
    return state


async def resume(turn: Turn, state: StandInDialogue) -> DialogueState[Any] | None:
    return await steps.run(turn, state, None)


@steps.choice(PICK)
async def _on_pick(turn: Turn, state: StandInDialogue, _: None, picked: str) -> StandInDialogue:
    state.data.colleague_id = int(picked)
    UNTIL.ask(turn, state)
    return state


async def _on_until(turn: Turn, state: StandInDialogue, _: None, moment: datetime | None) -> StandInDialogue:
    assert moment is not None and state.data.colleague_id is not None, (
        "asked in order; the date is not optional"
    )
    state.data.until = moment
    name = await _name(turn, state.data.colleague_id)
    when = long_date(turn.texts, turn.lang, moment, turn.tz)
    return ask_confirm(turn, state, CONFIRM, turn.t("stand_in.confirm", name=name, when=when))


steps.date(UNTIL, _on_until)


@steps.on_yes(CONFIRM)
async def _start(turn: Turn, state: StandInDialogue, _: None) -> None:
    data = state.data
    assert data.colleague_id is not None and data.until is not None, "asked at the steps before"
    colleague = await people.professional_by_id(turn.session, data.colleague_id)
    if colleague is None or not directs_cases(colleague):  # no longer a procesregisseur meanwhile
        turn.say("stand_in.no_colleague")
        return
    held = await stand_ins.start(turn.session, turn.person.id, colleague.id, turn.now(), data.until)
    await turn.audit("stand_in.start")
    await turn.notify(colleague.id, STAND_IN_STARTED, None, Until(turn.person.id, _iso(held)))
    await _tell_the_end(turn, held, colleague, at=held.ends_at)
    await overleg.plan_stand_in_agendas(turn, held)
    turn.say("stand_in.started", name=colleague.name, when=_until(turn, held))


@steps.on_yes(END)
async def _end(turn: Turn, state: StandInDialogue, _: None) -> None:
    now = turn.now()
    for held in await stand_ins.current_for_absent(turn.session, [turn.person.id], now):
        held.ends_at = now  # the notices planned for the end date see it changed, and are not sent
        colleague = await people.professional_by_id(turn.session, held.stand_in_id)
        assert colleague is not None, "people are disabled, never deleted"
        await turn.audit("stand_in.end")
        await _tell_the_end(turn, held, colleague, at=None)
        turn.say("stand_in.ended", name=colleague.name)


async def _tell_the_end(turn: Turn, held: StandIn, colleague: Professional, at: datetime | None) -> None:
    until = _iso(held)
    await turn.notify(colleague.id, ENDED[0], None, Ended(turn.person.id, until, held.id), at=at)
    await turn.notify(turn.person.id, ENDED[1], None, Ended(colleague.id, until, held.id), at=at)


# The audited events that change a case (the rest only read it): what the absent procesregisseur is told of.
CHANGES = (
    "case.state.",
    "case.participant.",
    "case.director.handover",
    "case.message_to_melder",
    "case.subject.form",
    "action.",
    "feedback.create",
    "plan.record",
)


async def still_ends_then(session: AsyncSession, case: Case | None, row: PendingMessage) -> bool:
    """An end notice is not sent for a waarneming that was ended early or changed since (its own early end
    notice was sent then)."""
    held = await stand_ins.by_id(session, int(row.params["stand_in"]))
    return held is not None and held.ends_at == datetime.fromisoformat(str(row.params["until"]))


async def account(session: AsyncSession, texts: Catalogue, language: str, row: PendingMessage) -> list[str]:
    """Below the absent procesregisseur's end notice: what was done on their behalf (``account_lines``)."""
    held = await stand_ins.by_id(session, int(row.params["stand_in"]))
    return [] if held is None else await account_lines(session, texts, language, held)


async def account_lines(session: AsyncSession, texts: Catalogue, language: str, held: StandIn) -> list[str]:
    """What the waarnemer did on the absent procesregisseur's cases, from the audit trail: per case how many
    changes and the state it is in now, and which cases were only looked at. So the one coming back knows where
    to look without asking."""
    entries = await audit.acted_for(
        session, held.stand_in_id, audit.for_person(held.absent_id), held.starts_at, held.ends_at
    )
    changed = Counter(e.case_number for e in entries if e.case_number and e.event.startswith(CHANGES))
    looked = sorted({e.case_number for e in entries if e.case_number} - changed.keys())
    if not changed and not looked:
        return [texts.text(language, "notice.stand_in_nothing")]
    now_in = await cases.by_numbers(session, changed.keys())
    lines = [texts.text(language, "notice.stand_in_changed_title")] if changed else []
    for number in sorted(changed):
        state = texts.text(language, f"state.{now_in[number].state.value}") if number in now_in else "?"
        lines.append(
            texts.text(language, "notice.stand_in_changed", case=number, count=changed[number], state=state)
        )
    if looked:
        lines.append(texts.text(language, "notice.stand_in_looked", cases=", ".join(looked)))
    return lines


def _iso(held: StandIn) -> str:
    return held.ends_at.isoformat()


CONVERSATION = Conversation(KIND, DIRECTORS, StandInState, start, resume)
