"""Which procesregisseur is the aandachtsfunctionaris of which gemeente (one per gemeente, several gemeenten per
procesregisseur): who hears first of a gemeente's new referrals."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import GemeenteContact


async def set_for(session: AsyncSession, professional_id: int, gemeenten: Collection[str]) -> dict[str, int]:
    """Make this person the aandachtsfunctionaris of exactly ``gemeenten``; returns the gemeenten taken over
    from someone else, with whom they were with."""
    taken = dict(
        (
            await session.execute(
                select(GemeenteContact.gemeente, GemeenteContact.professional_id).where(
                    GemeenteContact.gemeente.in_(list(gemeenten)),
                    GemeenteContact.professional_id != professional_id,
                )
            )
        ).all()
    )
    await session.execute(
        delete(GemeenteContact).where(
            (GemeenteContact.professional_id == professional_id)
            | GemeenteContact.gemeente.in_(list(gemeenten))
        )
    )
    session.add_all(GemeenteContact(gemeente=name, professional_id=professional_id) for name in gemeenten)
    await session.flush()
    return taken


async def assign(session: AsyncSession, gemeente: str, professional_id: int | None) -> None:
    """Make this person the gemeente's aandachtsfunctionaris (None: nobody, its referrals go to the whole team),
    leaving their other gemeenten as they are."""
    await session.execute(delete(GemeenteContact).where(GemeenteContact.gemeente == gemeente))
    if professional_id is not None:
        session.add(GemeenteContact(gemeente=gemeente, professional_id=professional_id))
    await session.flush()


async def contact_of(session: AsyncSession, gemeente: str) -> int | None:
    """The id of the gemeente's aandachtsfunctionaris, if it has one."""
    return await session.scalar(
        select(GemeenteContact.professional_id).where(GemeenteContact.gemeente == gemeente)
    )


async def by_contact(session: AsyncSession) -> dict[int, list[str]]:
    """Each aandachtsfunctionaris with their gemeenten, alphabetically."""
    found: dict[int, list[str]] = {}
    query = select(GemeenteContact.professional_id, GemeenteContact.gemeente).order_by(
        GemeenteContact.gemeente
    )
    for person, gemeente in (await session.execute(query)).all():
        found.setdefault(person, []).append(gemeente)
    return found


async def contacts(session: AsyncSession) -> dict[str, int]:
    """Every gemeente that has an aandachtsfunctionaris, with their id."""
    return dict(
        (await session.execute(select(GemeenteContact.gemeente, GemeenteContact.professional_id))).all()
    )
