"""Someone the bot does not know writes: are they a registered professional on a new account (linked by e-mail
address), a newcomer with an invite code, or someone from a known organisation's tenant or homeserver who may ask
to join? Everyone else reads one line: that they are not registered. That line is the same whatever they tried,
so a stranger learns nothing about who is registered. A disabled account reads it too: it does not come back by
a code or a request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers.dialogue.messages import Incoming, Reply
from handlers.joining.codes import join
from handlers.joining.linking import link
from handlers.joining.requests import ask
from storage import people


async def answer_newcomer(
    session: AsyncSession, texts: Catalogue, address: str, incoming: Incoming, now: datetime
) -> list[Reply]:
    stranger = [Reply(texts.text(texts.default_language, "access.not_registered"))]
    if await people.sender(session, incoming.channel, address) is not None:
        return stranger  # a disabled account
    return (
        await link(session, texts, address, incoming, now)
        or await join(session, texts, address, incoming, now)
        or await ask(session, texts, address, incoming, now)
        or stranger
    )
