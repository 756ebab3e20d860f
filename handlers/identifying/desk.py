"""What every form for identifying details shares, whether it enters them or reads them: the context a form is
handled in (there is no chat turn behind a form page), what goes back to the channel, and how a signed token is
turned into the form and the person it was handed to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers.dialogue.messages import FormOffer
from handlers.identifying.forms import CARD, LINK
from storage import audit, people, subjects
from storage.models import Professional, SubjectForm
from storage.subjects import READ, FormState


@dataclass(frozen=True)
class FormDeskContext:
    """What handling a form needs besides its store session."""

    session: AsyncSession
    texts: Catalogue
    now: datetime


@dataclass(frozen=True)
class FormAnswer:
    """What the channel shows: the form again (``form``, with its error), one closing line (``message``), or a
    case's identifying details as (label, value) pairs (``details``, shown read-only and only there)."""

    language: str
    form: FormOffer | None = None
    message: str | None = None
    details: tuple[tuple[str, str], ...] = ()


async def find(
    context: FormDeskContext, token: str, sender_id: int | None
) -> tuple[FormState, SubjectForm | None, Professional | None]:
    """The form, and the active person it is bound to; a form sent by someone else (a forwarded card), for
    someone no longer active, or from another place than it was handed out to (a card's token on the page, which
    knows nobody; a link's on Teams) opens nothing."""
    state, form = await subjects.find(context.session, token, context.now)
    person = await people.professional_by_id(context.session, form.professional_id) if form else None
    handed_out_here = form is not None and form.style == (LINK if sender_id is None else CARD)
    sent_by_another = sender_id is not None and person is not None and sender_id != person.id
    if person is None or not person.active or sent_by_another or not handed_out_here:
        return FormState.INVALID, form, person
    return state, form, person


def closed(
    context: FormDeskContext, language: str, state: FormState, form: SubjectForm | None = None
) -> FormAnswer:
    """Why a form cannot be used (any more), in the words of what it was for (entering or reading)."""
    prefix = "subject.view" if form is not None and form.purpose == READ else "subject"
    key = {FormState.USED: f"{prefix}.used", FormState.EXPIRED: f"{prefix}.expired"}.get(
        state, "subject.invalid_link"
    )
    return FormAnswer(language, message=context.texts.text(language, key))


async def record_audit(
    context: FormDeskContext,
    person: Professional,
    event: str,
    number: str | None,
    channel: str,
    on_behalf_of: str | None = None,
) -> None:
    """One audit entry for what a form did; on behalf of the person's organisation unless someone else is
    named (the procesregisseur a stand-in reads for)."""
    if on_behalf_of is None:
        on_behalf_of = (await people.organisation_by_id(context.session, person.organisation_id)).name
    await audit.record(
        context.session,
        at=context.now,
        actor_id=person.id,
        on_behalf_of=on_behalf_of,
        event=event,
        case_number=number,
        channel=channel,
    )
