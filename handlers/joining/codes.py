"""Joining by invite code: a professional the bot does not know yet types the code in their own chat and
becomes a melder of the organisation the code is for, under the name their channel gives.

Whoever the code opens nothing for (unknown, used up, expired, a disabled account, a channel that cannot tell who
is typing) is answered exactly as any stranger: the one line that they are not registered. So a stranger learns
nothing from trying codes, and the message rate limit keeps guessing slow.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers.dialogue.messages import Incoming, Reply
from handlers.joining.newcomers import account_name, add_melder
from storage import audit, invites, people

_CODE = re.compile(r"^(?:uitnodiging|invite|code)?\s*([A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$", re.IGNORECASE)


async def join(
    session: AsyncSession, texts: Catalogue, address: str, incoming: Incoming, now: datetime
) -> list[Reply] | None:
    """The welcome for someone an invite code lets in; None when the message lets nobody in."""
    channel = incoming.channel
    found = _CODE.match(incoming.text.strip())
    if found is None or not incoming.identified or not address:
        return None
    organisation_id = await invites.use(session, found[1], now)
    if organisation_id is None:
        return None
    organisation = await people.organisation_by_id(session, organisation_id)
    language = texts.default_language
    name = account_name(texts, incoming.display_name)
    person = await add_melder(session, channel, address, name, organisation, now)
    await audit.record(
        session,
        at=now,
        actor_id=person.id,
        on_behalf_of=organisation.name,
        event="person.join.invite",
        case_number=None,
        channel=channel,
    )
    return [Reply(texts.text(language, "joining.welcome", name=name, organisation=organisation.name))]
