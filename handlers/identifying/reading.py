"""Reading a case's identifying details: the procesregisseur directing the case (or standing in for the one who
does) opens them the way the melder's form is handed out, never in chat text or a notice.

In chat the bot hands out a signed, single-use link that lives minutes (Matrix, to a read-only page) or a card
(Teams). Opening the link shows only a button: a link preview must not spend the one opening. Pressing it checks
again that this person still directs an open case, uses the form up, audits the read and shows the details once,
read-only. The terminal keeps what it prints on the screen and says it cannot show them.
"""

from __future__ import annotations

from datetime import date, timedelta

from config.catalogue import Catalogue
from handlers.authorization import case_access, may_read_subject
from handlers.dialogue.messages import FormOffer, Reply
from handlers.dialogue.turn import Turn
from handlers.identifying.desk import FormAnswer, FormDeskContext, closed, record_audit
from handlers.identifying.forms import CARD, LINK, form_path
from storage import audit, cases, subjects
from storage.models import Case, Professional, SubjectForm
from storage.subjects import READ, FormState


def view_offer(texts: Catalogue, language: str, token: str, number: str) -> FormOffer:
    """What the link's page or the card shows before the details: no fields, one button."""

    def t(key: str, **params: object) -> str:
        return texts.text(language, key, **params)

    title = t("subject.view.title_for", number=number)
    return FormOffer(token, title, t("subject.view.intro"), (), t("subject.view.show"))


async def offer_view(turn: Turn, case: Case) -> None:
    """Hand out a one-time view of the case's identifying details, in the way the channel can show them."""
    style = turn.incoming.forms
    if style is None:
        turn.say("subject.view.not_here")
        return
    if style == LINK and not turn.settings.public_url:
        turn.say("subject.view.no_page")
        return
    if await subjects.entered_at(turn.session, case.id) is None:
        turn.say("subject.view.none_yet", number=case.number)
        return
    minutes = turn.settings.subject_view_minutes
    token = await subjects.issue(
        turn.session, case.id, turn.person.id, turn.now(), timedelta(minutes=minutes), style, READ
    )
    await turn.audit("case.subject.view_offered", case.number)
    if style == CARD:
        text = turn.t("subject.view.card", number=case.number, minutes=minutes)
        turn.replies.append(Reply(text, form=view_offer(turn.texts, turn.lang, token, case.number)))
        return
    url = f"{str(turn.settings.public_url).rstrip('/')}{form_path(token)}"
    turn.say("subject.view.link", number=case.number, url=url, minutes=minutes)


async def _reads(context: FormDeskContext, person: Professional, case: Case) -> bool:
    access = await case_access(context.session, person, case, context.now)
    return await may_read_subject(context.session, person, access, case, context.now)


async def show_once(
    context: FormDeskContext, form: SubjectForm, person: Professional, channel: str
) -> FormAnswer:
    """The details, once: for a person who still directs the open case; the form is used up and the read
    audited (on behalf of the procesregisseur a stand-in reads for)."""
    language = person.language
    case = await cases.by_id(context.session, form.case_id)
    details = await subjects.details(context.session, form.case_id) if case else None
    if case is None or details is None or not await _reads(context, person, case):
        await record_audit(
            context, person, "case.subject.read.refused", case.number if case else None, channel
        )
        return closed(context, language, FormState.INVALID)
    if not await subjects.consume(context.session, form, context.now):
        return closed(context, language, FormState.USED, form)
    absent = None
    reading_for = case.procesregisseur_id or await cases.screened_by(context.session, case.id)
    if reading_for not in (None, person.id):
        absent = audit.for_person(reading_for)
    await record_audit(context, person, "case.subject.read", case.number, channel, on_behalf_of=absent)

    def t(key: str) -> str:
        return context.texts.text(language, key)

    born = date.fromisoformat(details.birth_date).strftime("%d-%m-%Y")
    shown = (
        (t("subject.view.case"), case.number),
        (t("subject.field.name"), details.name),
        (t("subject.field.birth_date"), born),
        (t("subject.field.address"), details.address),
    )
    note = t("subject.view.shown_card") if form.style == CARD else t("subject.view.shown")
    return FormAnswer(language, message=note, details=shown)
