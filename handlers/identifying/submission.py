"""What a form for identifying details sends, from whichever channel (a Teams card, the form page): outside any
dialogue, with the form's signed token as the credential. The values are checked, stored encrypted and audited,
and no answer ever repeats one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from handlers.dialogue.plain_text import clean
from handlers.identifying import reading
from handlers.identifying.desk import FormAnswer, FormDeskContext, closed, find, record_audit
from handlers.identifying.forms import LONGEST, form_offer
from storage import cases, subjects
from storage.models import CaseState
from storage.subjects import READ, FormState, SubjectDetails

OLDEST_BIRTH_YEAR = 1900
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


async def open_form(context: FormDeskContext, token: str) -> FormAnswer:
    """The empty form a token opens, or why it cannot be opened. Opening does not use it up: a link preview or
    a second look must not spend the person's only chance."""
    state, form, person = await find(context, token, None)
    language = person.language if person else context.texts.default_language
    if state is not FormState.OPEN or form is None:
        return closed(context, language, state, form)
    if form.purpose == READ:
        return FormAnswer(language, form=reading.view_offer(context.texts, language, token))
    return FormAnswer(language, form=form_offer(context.texts, language, token))


async def submit_form(
    context: FormDeskContext,
    token: str,
    values: Mapping[str, object],
    channel: str,
    professional_id: int | None = None,
) -> FormAnswer:
    """Check and keep what a form sent. ``professional_id`` is who sent it where the channel knows (Teams); a
    form page knows nobody, the token is its only credential."""
    state, form, person = await find(context, token, professional_id)
    language = person.language if person else context.texts.default_language
    if state is not FormState.OPEN or form is None or person is None:
        return closed(context, language, state, form)
    if form.purpose == READ:
        return await reading.show_once(context, form, person, channel)
    details, problems = _read(values, context.now.date())
    if details is None:
        wrong = ", ".join(context.texts.text(language, f"subject.field.{key}") for key in problems)
        error = context.texts.text(language, "subject.invalid", fields=wrong)
        return FormAnswer(language, form=form_offer(context.texts, language, token, error))
    case = await cases.by_id(context.session, form.case_id)
    if case is None or case.state is CaseState.AFGESLOTEN:
        return closed(context, language, FormState.INVALID)
    if not await subjects.consume(context.session, form, context.now):
        return closed(context, language, FormState.USED)
    replaced = await subjects.record(context.session, case.id, details, person.id, context.now)
    event = "case.subject.replace" if replaced else "case.subject.record"
    await record_audit(context, person, event, case.number, channel)
    return FormAnswer(language, message=context.texts.text(language, "subject.received", number=case.number))


def _text(values: Mapping[str, object], key: str) -> str:
    value = values.get(key)
    return clean(value) if isinstance(value, str) else ""


def _read(values: Mapping[str, object], today: date) -> tuple[SubjectDetails | None, list[str]]:
    """The details, or None and the keys of the fields that are missing or not right."""
    name, address = _text(values, "name"), _text(values, "address")
    born = _birth_date(_text(values, "birth_date"), today)
    problems = [
        key
        for key, good in (
            ("name", 2 <= len(name) <= LONGEST["name"]),
            ("birth_date", born is not None),
            ("address", 5 <= len(address) <= LONGEST["address"]),
        )
        if not good
    ]
    if problems or born is None:
        return None, problems
    return SubjectDetails(name, born.isoformat(), address), []


def _birth_date(text: str, today: date) -> date | None:
    """ISO (what date inputs send) or Dutch day-month-year; a real day, not in the future, not before 1900."""
    dutch = _DUTCH_DATE.match(text)
    try:
        day = date(int(dutch[3]), int(dutch[2]), int(dutch[1])) if dutch else date.fromisoformat(text)
    except ValueError:
        return None
    return day if OLDEST_BIRTH_YEAR <= day.year and day <= today else None
