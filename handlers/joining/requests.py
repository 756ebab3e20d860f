"""Asking to join: someone from the Teams tenant or Matrix homeserver of a known organisation, not registered yet,
is offered to ask for access as melder. They confirm the organisation (the tenant's or homeserver's, or another
of those listed), a procesregisseur or the ketenmanager decides (``handlers.conversations.admission``), and they
are told. Until then every message gets that dialogue and nothing else.

The offer is plain text with numbered options rather than buttons: a button answers a question the dispatcher
keeps for registered people only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers import recipients
from handlers.dialogue.choices import read_one
from handlers.dialogue.messages import Choice, Incoming, Reply, numbered
from handlers.joining.newcomers import account_name
from handlers.notice_kind import NoticeKind, References
from storage import audit, joins, outbox, people
from storage.models import JoinRequest, JoinStatus, Organisation


@dataclass(frozen=True)
class Asked(References):
    request: int  # the request to join; who asks, and where, is read from it when the notice is sent


# Every procesregisseur and ketenmanager, with the decision left open for one word or button.
JOIN_REQUEST = NoticeKind("join_request", Asked, adds=("name", "organisation", "channel"))
NOTICES = (JOIN_REQUEST,)
YES, NO = "ja", "nee"


async def ask(
    session: AsyncSession, texts: Catalogue, address: str, incoming: Incoming, now: datetime
) -> list[Reply] | None:
    """The join dialogue's next reply; None for someone from nowhere the bot knows (or an account approved and
    since disabled): they read the stranger's line."""
    channel = incoming.channel
    organisations = await people.organisations_at(session, channel, incoming.home or "")
    if not organisations or not address:
        return None
    lang = texts.default_language
    request = await joins.of(session, channel, address)
    if request is None:
        name = account_name(texts, incoming.display_name)
        request = await joins.offer(session, channel, address, name, organisations[0].id, now)
        return [_offer(texts, request, organisations)]
    if request.status is JoinStatus.PENDING:
        return [Reply(texts.text(lang, "joining.pending"))]
    if request.status is JoinStatus.DECLINED:
        return [Reply(texts.text(lang, "joining.declined"))]
    if request.status is JoinStatus.APPROVED:
        return None
    if all(org.id != request.organisation_id for org in organisations):
        request.organisation_id = organisations[0].id  # the tenant moved to another organisation meanwhile
    picked = read_one(incoming, _choices(texts, request, organisations), texts.synonyms())
    if picked is None:
        return [Reply(texts.text(lang, "form.invalid_choice")), _offer(texts, request, organisations)]
    if picked == NO:
        await joins.withdraw(session, request)
        return [Reply(texts.text(lang, "joining.withdrawn"))]
    if picked != YES:
        request.organisation_id = int(picked)
    request.status = JoinStatus.PENDING
    organisation = await people.organisation_by_id(session, request.organisation_id)
    await _send_to_deciders(session, request, organisation, channel, now)
    return [Reply(texts.text(lang, "joining.requested", organisation=organisation.name))]


def _choices(texts: Catalogue, request: JoinRequest, organisations: Sequence[Organisation]) -> list[Choice]:
    lang = texts.default_language
    named = next(org.name for org in organisations if org.id == request.organisation_id)
    others = [Choice(str(org.id), org.name) for org in organisations if org.id != request.organisation_id]
    return [
        Choice(YES, texts.text(lang, "joining.option_yes", organisation=named)),
        *others,
        Choice(NO, texts.text(lang, "joining.option_no")),
    ]


def _offer(texts: Catalogue, request: JoinRequest, organisations: Sequence[Organisation]) -> Reply:
    lang = texts.default_language
    lines = [
        texts.text(lang, "joining.offer", name=request.display_name),
        *(
            f"{number}. {choice.label}"
            for number, choice in numbered(_choices(texts, request, organisations))
        ),
    ]
    return Reply("\n".join(lines))


async def _send_to_deciders(
    session: AsyncSession, request: JoinRequest, organisation: Organisation, channel: str, now: datetime
) -> None:
    await audit.record(
        session,
        at=now,
        actor_id=None,
        on_behalf_of=organisation.name,
        event="person.join.request",
        case_number=None,
        channel=channel,
    )
    told = await recipients.admitters(session)
    await outbox.enqueue_to_each(session, told, JOIN_REQUEST, Asked(request.id).as_params(), now)
