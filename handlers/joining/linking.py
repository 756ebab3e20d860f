"""Linking a professional an operator registered by e-mail address to the chat account they first write from.

On Teams the channel reads the sender's e-mail address (or user principal name) from the Bot Connector's member
API; on Matrix the account's homeserver must be the one the organisation names, and its local part the e-mail
address's (@jan.bakker:matrix.ggz.example for jan.bakker@ggz.example). The link is made once and audited. A
mismatch (the e-mail address of someone who is linked already, or of an organisation in another tenant) links
nothing: it is audited and reported to the ketenmanager, and the sender reads the stranger's line (and is not
offered to ask to join: whoever uses someone else's address is not let in by that road).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers import recipients
from handlers.dialogue.messages import Incoming, Reply
from handlers.notice_kind import NoticeKind, References
from storage import audit, outbox, people
from storage.models import Professional

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Unlinked(References):
    handle: str  # the account's handle in the store, for the administrator to look up


# The ketenmanager hears that a chat account was not linked to a registered professional.
LINK_REFUSED = NoticeKind("link_refused", Unlinked)
NOTICES = (LINK_REFUSED,)


async def link(
    session: AsyncSession, texts: Catalogue, address: str, incoming: Incoming, now: datetime
) -> list[Reply] | None:
    """The welcome for a registered professional writing for the first time from this account; the stranger's line
    for a mismatch; None when the message is about nobody registered."""
    person = await _registered_for(session, incoming)
    if person is None or not person.active:
        return None
    organisation = await people.organisation_by_id(session, person.organisation_id)
    channel = incoming.channel
    home = people.home_of(organisation, channel)
    elsewhere = (
        bool(home) and home != incoming.home
    )  # the account lives in another tenant than the organisation
    if person.address(channel) is not None or elsewhere:
        await _refuse(session, person, organisation.name, channel, now)
        # Nor may they ask to join: whoever uses someone else's address is not let in by that road.
        return [Reply(texts.text(texts.default_language, "access.not_registered"))]
    await people.set_address(session, person.id, channel, address)
    await _audit(session, person, organisation.name, "person.link", channel, now)
    return [
        Reply(texts.text(person.language, "joining.linked", name=person.name, organisation=organisation.name))
    ]


async def _registered_for(session: AsyncSession, incoming: Incoming) -> Professional | None:
    """By the e-mail address the channel gives, or by the account's mailbox at its home."""
    if incoming.email:
        return await people.by_email(session, incoming.email)
    if incoming.mailbox and incoming.home:
        return await people.by_mailbox_at(session, incoming.mailbox, incoming.home)
    return None


async def _refuse(
    session: AsyncSession, person: Professional, organisation: str, channel: str, now: datetime
) -> None:
    log.warning("a chat account was not linked: the e-mail address is linked already, or from another tenant")
    await _audit(session, person, organisation, "person.link.refused", channel, now)
    told = await recipients.ketenmanagers(session)
    await outbox.enqueue_to_each(session, told, LINK_REFUSED, Unlinked(person.handle).as_params(), now)


async def _audit(
    session: AsyncSession, person: Professional, organisation: str, event: str, channel: str, now: datetime
) -> None:
    await audit.record(
        session,
        at=now,
        actor_id=person.id,
        on_behalf_of=organisation,
        event=event,
        case_number=None,
        channel=channel,
    )
