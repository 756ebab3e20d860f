"""A newcomer's account: the name their channel gives, made safe to show and to export, and the melder account an
invite code or an admitted request makes for them at the channel address they wrote from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers.plain_text import one_line
from storage import people
from storage.cells import FORMULA_STARTS
from storage.models import Organisation, Professional, Role


def account_name(texts: Catalogue, display_name: str | None) -> str:
    """Names end up in exports: one that starts like a spreadsheet formula loses that start; no name at all is
    'Nieuwe melder'."""
    name = one_line(display_name or "").lstrip("".join(FORMULA_STARTS)).strip()[:200]
    return name or texts.text(texts.default_language, "joining.unnamed")


async def add_melder(
    session: AsyncSession, channel: str, address: str, name: str, organisation: Organisation, now: datetime
) -> Professional:
    person = await people.add_professional(
        session,
        handle=await people.free_handle(session, name),
        name=name,
        organisation=organisation,
        role=Role.MELDER,
        now=now,
    )
    await people.set_address(session, person.id, channel, address)
    return person
