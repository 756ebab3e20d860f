"""What a form for identifying details sends, from whichever channel (a Teams card, the form page): outside any
dialogue, with the form's signed token as the credential. The values are checked, stored encrypted and audited,
and no answer ever repeats one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from handlers.identifying import reading
from handlers.identifying.desk import FormAnswer, FormDeskContext, closed, find, record_audit
from handlers.identifying.forms import LONGEST, form_offer
from handlers.plain_text import clean
from storage import cases, subjects
from storage.models import CaseState
from storage.subjects import READ, FormState, SubjectDetails

OLDEST_BIRTH_YEAR = 1900
_DUTCH_DATE = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


async def open_form(context: FormDeskContext, token: str) -> FormAnswer:
    """The empty form a token opens, or why it cannot be opened. Opening does not use it up: a link preview or
    a second look must not spend the person's only chance."""
    state, form, person = await find(context, token, None)
    language = person.language if person else context.texts.default_language
    case = await cases.by_id(context.session, form.case_id) if form is not None else None
    if state is not FormState.OPEN or form is None or case is None:
        return closed(context, language, state, form)
    if form.purpose == READ:
        return FormAnswer(language, form=reading.view_offer(context.texts, language, token, case.number))
    return FormAnswer(language, form=form_offer(context.texts, language, token, case.number))


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
    case = await cases.by_id(context.session, form.case_id)
    if case is None or case.state is CaseState.AFGESLOTEN:
        return closed(context, language, FormState.INVALID)
    details, problems = _read(values, context.now.date())
    if details is None:
        wrong = [
            context.texts.text(language, f"subject.problem.{key}", limit=LONGEST[key.split(".")[0]])
            for key in problems
        ]
        error = "\n".join([context.texts.text(language, "subject.invalid"), *(f"- {line}" for line in wrong)])
        return FormAnswer(language, form=form_offer(context.texts, language, token, case.number, error))
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
    """The details, or None and what to fix: keys ``<field>.<problem>`` of the catalogue's ``subject.problem``."""
    name, address = _text(values, "name"), _text(values, "address")
    born = read_birth_date(_text(values, "birth_date"), today)
    problems = [
        *_length_problem("name", name, 2),
        *([f"birth_date.{born}"] if isinstance(born, str) else []),
        *_length_problem("address", address, 5),
    ]
    if problems or isinstance(born, str):
        return None, problems
    return SubjectDetails(name, born.isoformat(), address), []


def _length_problem(key: str, value: str, shortest: int) -> list[str]:
    if len(value) < shortest:
        return [f"{key}.missing"]
    return [f"{key}.too_long"] if len(value) > LONGEST[key] else []


def read_birth_date(text: str, today: date) -> date | str:
    """The day meant, or what is wrong with it (``missing``, ``format``, ``short_year``, ``impossible``,
    ``future``, ``too_early``). Read day-month-year, as the Dutch write it (29-02-1980, 29-2-1980, 29.02.1980,
    29/02/1980, 29021980), or ISO (what a browser's or Teams' date picker sends); never month first."""
    if not text:
        return "missing"
    iso, dutch = _ISO_DATE.match(text), _DUTCH_DATE.match(text)
    if iso:
        year, month, day = iso.groups()
    elif dutch:
        day, month, year = dutch.groups()
    elif text.isdigit() and len(text) == 8:
        day, month, year = text[:2], text[2:4], text[4:]
    else:
        return "short_year" if text.isdigit() and len(text) == 6 else "format"
    if len(year) == 2:
        return "short_year"
    if len(year) != 4:
        return "format"
    try:
        born = date(int(year), int(month), int(day))
    except ValueError:
        return "impossible"
    if born > today:
        return "future"
    return "too_early" if born.year < OLDEST_BIRTH_YEAR else born
