"""``vhbot users import --sync``: the file is the master list of every account, matched by handle.

A ZVH keeps its professionals in a list of its own (an export of its administration, a spreadsheet): importing
it again makes the store match it, where a plain import would refuse every row already there. Who is in the
file and not in the store is added; who is in both gets the name, organisation, role and language of the file,
the addresses the file gives (the ones it leaves empty stay, such as a Teams account linked at first contact), and
is active; who is active in the store and not in the file is disabled, their open actions handed on as
``users disable`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.cli.user_rows import UserRow

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.app import App
    from storage.models import Organisation, Professional

_BY = "vhbot users import --sync (command line)"


@dataclass
class Changes:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.updated)} updated, {len(self.disabled)} disabled"


def plan(rows: Sequence[UserRow], stored: Sequence[Professional]) -> Changes:
    """What making the store match the rows changes, by handle."""
    listed = {row.handle for row in rows}
    known = {person.handle for person in stored}
    return Changes(
        added=[row.handle for row in rows if row.handle not in known],
        updated=[row.handle for row in rows if row.handle in known],
        disabled=sorted(person.handle for person in stored if person.active and person.handle not in listed),
    )


async def apply(
    session: AsyncSession,
    app: App,
    rows: Sequence[UserRow],
    stored: Sequence[Professional],
    organisations: dict[str, Organisation],
) -> Changes:
    from handlers import accounts
    from storage import gemeenten, people
    from storage.models import Role

    changes = plan(rows, stored)
    by_handle = {person.handle: person for person in stored}
    for row in rows:
        person = by_handle.get(row.handle)
        if person is None:
            await add(session, app, row, organisations)
            continue
        person.name, person.role, person.language = row.name, Role(row.role), row.language
        person.organisation_id = organisations[row.organisation].id
        person.active = True
        for channel, address in ((people.EMAIL, row.email), ("matrix", row.matrix), ("teams", row.teams)):
            if address is not None:
                await people.set_address(session, person.id, channel, address)
        if row.gemeenten is not None:
            await gemeenten.set_for(session, person.id, row.gemeenten)
    for handle in changes.disabled:
        await accounts.disable(session, by_handle[handle], app.now(), by=_BY, channel="cli")
    return changes


async def add(session: AsyncSession, app: App, row: UserRow, organisations: dict[str, Organisation]) -> None:
    """The account a checked row describes, as ``users import`` adds it (with or without ``--sync``)."""
    from storage import gemeenten, people
    from storage.models import Role

    person = await people.add_professional(
        session,
        handle=row.handle,
        name=row.name,
        organisation=organisations[row.organisation],
        role=Role(row.role),
        now=app.now(),
        matrix_id=row.matrix,
        teams_id=row.teams,
        email=row.email,
        language=row.language,
    )
    if row.gemeenten:
        await gemeenten.set_for(session, person.id, row.gemeenten)


def listed_handles(rows: Sequence[dict[str, str]]) -> set[str]:
    """The handles a master list names (its rows as read by csv, before they are checked)."""
    return {(row.get("handle") or "").strip() for row in rows} - {""}
