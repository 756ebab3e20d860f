"""``--gemeenten`` of ``users add`` and ``users set``: the gemeenten a procesregisseur is aandachtsfunctionaris of,
whose new referrals reach them first (``handlers.recipients.for_new_referral``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.cli.common import NONE, UsageError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from storage.models import Professional


def read_gemeenten(typed: str) -> list[str]:
    """'Baarn, soest' as the region's own spelling, ['Baarn', 'Soest']; '' or 'none' as none at all. A name the
    region does not list is refused with the ones it does."""
    from config.definitions import load_definitions

    listed = load_definitions().region.gemeenten
    known = {name.casefold(): name for name in listed}
    wanted = (
        [] if typed.strip() in ("", NONE) else [part.strip() for part in typed.split(",") if part.strip()]
    )
    unknown = [name for name in wanted if name.casefold() not in known]
    if unknown:
        raise UsageError(
            f"not a gemeente of this region: {', '.join(unknown)}; region.toml lists {', '.join(listed)}"
        )
    return sorted({known[name.casefold()] for name in wanted})


async def assign(session: AsyncSession, person: Professional, gemeenten: list[str]) -> str:
    """Make ``person`` the aandachtsfunctionaris of exactly these gemeenten; what changed, for the operator."""
    from storage import gemeenten as contacts
    from storage import people
    from storage.models import Role

    if gemeenten and person.role is not Role.PROCESREGISSEUR:
        raise UsageError("only a procesregisseur can be the aandachtsfunctionaris of a gemeente")
    taken = await contacts.set_for(session, person.id, gemeenten)
    before = await people.by_ids(session, set(taken.values()))
    moved = [
        f"{name} from {before[owner].handle}" for name, owner in sorted(taken.items()) if owner in before
    ]
    said = f"gemeenten: {', '.join(gemeenten) or 'none'}"
    return said + (f" (taken over: {', '.join(moved)})" if moved else "")
