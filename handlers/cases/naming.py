"""Finding people and organisations the way people type them: a whole name or a part of one ("wijkteam",
"regis"), without regard to case or accents. Whoever asks offers the short list when several fit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.plain_text import fold
from storage import people
from storage.models import Organisation, Professional

# A part of a name that fits more than this is asked to be longer, not listed.
MOST_LISTED = 8
SHORTEST_PART = 2
Named = TypeVar("Named", Organisation, Professional)


def _fitting(named: Sequence[Named], typed: str, name_of: str) -> list[Named]:
    """Those whose name is what was typed, if exactly one is; else those whose name holds it."""
    wanted = fold(typed)
    if len(wanted) < SHORTEST_PART:
        return []
    names = [(item, fold(getattr(item, name_of))) for item in named]
    exact = [item for item, name in names if name == wanted]
    return exact if len(exact) == 1 else [item for item, name in names if wanted in name]


async def organisations_named(session: AsyncSession, typed: str) -> list[Organisation]:
    return _fitting(await people.list_organisations(session), typed.strip(), "name")


async def active_people_named(session: AsyncSession, typed: str) -> list[Professional]:
    """Active professionals by (a part of) their name. Names are encrypted: they are read and compared here, one
    read of the register per typed name."""
    active = [p for p in await people.list_professionals(session) if p.active]
    return _fitting(active, typed.strip(), "name")
