"""Organisations and the professionals who may use the bot."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Protocol, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import dialogues
from storage.dialogues import StoredDialogue
from storage.handles import handle_from
from storage.models import ChannelAddress, Organisation, Professional, Role


async def add_organisation(session: AsyncSession, name: str, type_: str) -> Organisation:
    organisation = Organisation(name=name, type=type_)
    session.add(organisation)
    await session.flush()
    return organisation


async def organisation_named(session: AsyncSession, name: str) -> Organisation | None:
    """Organisation names are matched without regard to case, as people type them."""
    result = await session.execute(select(Organisation).where(func.lower(Organisation.name) == name.lower()))
    return result.scalar_one_or_none()


async def organisation_by_id(session: AsyncSession, organisation_id: int) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    assert organisation is not None, "foreign key guarantees the organisation"
    return organisation


async def list_organisations(session: AsyncSession) -> Sequence[Organisation]:
    return (await session.execute(select(Organisation).order_by(Organisation.name))).scalars().all()


EMAIL = "email"  # an e-mail address is kept as one more channel address: unique, one per person


# Where an organisation's people come from, per channel: its Teams tenant, its Matrix homeserver.
_HOMES = {"teams": Organisation.teams_tenant, "matrix": Organisation.matrix_server}


def home_of(organisation: Organisation, channel: str) -> str | None:
    """Where the organisation's people on this channel come from, if it names it."""
    column = _HOMES.get(channel)
    return None if column is None else getattr(organisation, column.key)


async def organisations_at(session: AsyncSession, channel: str, home: str) -> Sequence[Organisation]:
    """The organisations whose people come from this Teams tenant or Matrix homeserver."""
    column = _HOMES.get(channel)
    if column is None or not home:
        return []
    query = select(Organisation).where(column == home).order_by(Organisation.name)
    return (await session.execute(query)).scalars().all()


async def homes(session: AsyncSession, channel: str) -> set[str]:
    """Every tenant (or homeserver) an organisation names."""
    column = _HOMES[channel]
    return {home for home in await session.scalars(select(column).where(column.is_not(None))) if home}


async def by_email(session: AsyncSession, email: str) -> Professional | None:
    """The professional registered with this e-mail address (matched without regard to case)."""
    query = (
        select(Professional)
        .join(ChannelAddress, ChannelAddress.professional_id == Professional.id)
        .where(ChannelAddress.channel == EMAIL, ChannelAddress.address == email.strip().lower())
    )
    return (await session.execute(query)).scalar_one_or_none()


async def by_mailbox_at(session: AsyncSession, local_part: str, server: str) -> Professional | None:
    """The professional of an organisation on this Matrix homeserver whose e-mail address begins with this
    local part ('jan.bakker' of @jan.bakker:matrix.ggz.example and jan.bakker@ggz.example), and who has no
    Matrix id yet; None when nobody, or more than one, fits."""
    query = (
        select(Professional)
        .join(ChannelAddress, ChannelAddress.professional_id == Professional.id)
        .join(Organisation, Organisation.id == Professional.organisation_id)
        .where(
            ChannelAddress.channel == EMAIL,
            ChannelAddress.address.like(f"{_escaped(local_part.lower())}@%", escape="\\"),
            Organisation.matrix_server == server,
        )
    )
    found = [
        person
        for person in (await session.execute(query)).scalars().all()
        if person.address("matrix") is None
    ]
    return found[0] if len(found) == 1 else None


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def free_handle(session: AsyncSession, name: str) -> str:
    """A handle made from the name that nobody has yet ('jan-bakker', then 'jan-bakker-2', …)."""
    base = handle_from(name)[:56] or "melder"
    handle, n = base, 1
    while await professional_by_handle(session, handle) is not None:
        n += 1
        handle = f"{base}-{n}"
    return handle


async def add_professional(
    session: AsyncSession,
    *,
    handle: str,
    name: str,
    organisation: Organisation,
    role: Role,
    now: datetime,
    matrix_id: str | None = None,
    teams_id: str | None = None,
    email: str | None = None,
    language: str = "nl",
) -> Professional:
    person = Professional(
        handle=handle,
        name=name,
        organisation_id=organisation.id,
        role=role,
        language=language,
        active=True,
        created_at=now,
        addresses=[
            ChannelAddress(channel=channel, address=address)
            for channel, address in (
                ("matrix", matrix_id),
                ("teams", teams_id),
                (EMAIL, email.strip().lower() if email else None),
            )
            if address is not None
        ],
    )
    session.add(person)
    await session.flush()
    return person


async def set_address(session: AsyncSession, person_id: int, channel: str, address: str) -> None:
    """Where ``channel`` reaches the person from now on (replacing an earlier address on that channel); an
    address that belongs to someone else already is refused by the store (IntegrityError)."""
    await session.execute(
        delete(_ADDRESSES).where(_ADDRESSES.c.professional_id == person_id, _ADDRESSES.c.channel == channel)
    )
    await session.execute(
        insert(_ADDRESSES).values(professional_id=person_id, channel=channel, address=address)
    )


async def professional_by_handle(session: AsyncSession, handle: str) -> Professional | None:
    result = await session.execute(
        select(Professional).where(func.lower(Professional.handle) == handle.lower())
    )
    return result.scalar_one_or_none()


async def professional_by_id(session: AsyncSession, person_id: int) -> Professional | None:
    return await session.get(Professional, person_id)


async def list_professionals(session: AsyncSession) -> Sequence[Professional]:
    return (await session.execute(select(Professional).order_by(Professional.handle))).scalars().all()


async def active_with_role(session: AsyncSession, role: Role) -> Sequence[Professional]:
    query = select(Professional).where(Professional.role == role, Professional.active.is_(True))
    return (await session.execute(query.order_by(Professional.handle))).scalars().all()


async def count_professionals(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count(Professional.id)))).scalar_one())


async def members_of(session: AsyncSession, organisation_id: int) -> Sequence[Professional]:
    query = select(Professional).where(
        Professional.organisation_id == organisation_id, Professional.active.is_(True)
    )
    return (await session.execute(query.order_by(Professional.handle))).scalars().all()


@dataclass(frozen=True)
class DisplayNames:
    """'Name (Organisation)' per person, the name per organisation, and which of the people are active."""

    persons: dict[int, str]
    organisations: dict[int, str]
    active: set[int]


async def display_names(
    session: AsyncSession, person_ids: set[int], organisation_ids: set[int]
) -> DisplayNames:
    """The names of these people and organisations, in at most two queries."""
    persons: dict[int, str] = {}
    active: set[int] = set()
    if person_ids:
        query = (
            select(Professional.id, Professional.name, Organisation.name, Professional.active)
            .join(Organisation, Organisation.id == Professional.organisation_id)
            .where(Professional.id.in_(person_ids))
        )
        for pid, name, org, is_active in (await session.execute(query)).all():
            persons[pid] = f"{name} ({org})"
            if is_active:
                active.add(pid)
    organisations: dict[int, str] = {}
    if organisation_ids:
        query_orgs = select(Organisation.id, Organisation.name).where(Organisation.id.in_(organisation_ids))
        organisations = {oid: name for oid, name in (await session.execute(query_orgs)).all()}
    return DisplayNames(persons, organisations, active)


class Person(Protocol):
    """What deciding about someone needs (who, in which organisation, in which role, still allowed): a loaded
    Professional is one, and so is the Author of a message being handled."""

    @property
    def id(self) -> int: ...

    @property
    def organisation_id(self) -> int: ...

    @property
    def role(self) -> Role: ...

    @property
    def active(self) -> bool: ...


@dataclass(frozen=True)
class Author:
    """The person a message is handled for. Read with one query for every message, as a value rather than an
    entity the session tracks (which cost more than the query); a change, such as their language, is saved with
    its own statement."""

    id: int
    role: Role
    language: str
    active: bool
    organisation_id: int
    organisation_name: str
    last_seen_at: datetime | None = None


_PEOPLE = cast(Table, Professional.__table__)
_ORGANISATIONS = cast(Table, Organisation.__table__)
_ADDRESSES = cast(Table, ChannelAddress.__table__)
_SENDER_COLUMNS = (
    _PEOPLE.c.id,
    _PEOPLE.c.role,
    _PEOPLE.c.language,
    _PEOPLE.c.active,
    _PEOPLE.c.organisation_id,
    _ORGANISATIONS.c.name,
    _PEOPLE.c.last_seen_at,
)


_SENDERS = select(*_SENDER_COLUMNS).join(_ORGANISATIONS, _ORGANISATIONS.c.id == _PEOPLE.c.organisation_id)
# The terminal knows people by their handle; every other channel by the address it gave them.
_BY_HANDLE = _SENDERS.where(_PEOPLE.c.handle == bindparam("address"))
_BY_ADDRESS = _SENDERS.join(_ADDRESSES, _ADDRESSES.c.professional_id == _PEOPLE.c.id).where(
    _ADDRESSES.c.channel == bindparam("channel"), _ADDRESSES.c.address == bindparam("address")
)
_BY_HANDLE_IN = dialogues.with_dialogues(_BY_HANDLE, _PEOPLE.c.id)
_BY_ADDRESS_IN = dialogues.with_dialogues(_BY_ADDRESS, _PEOPLE.c.id)
TERMINAL = "terminal"


async def sender(session: AsyncSession, channel: str, address: str) -> Author | None:
    """The person behind a channel address, with their organisation's name, in one query."""
    query = _BY_HANDLE if channel == TERMINAL else _BY_ADDRESS
    row = (await session.execute(query, {"address": address, "channel": channel})).first()
    return None if row is None else Author(*row)


@dataclass(frozen=True)
class SenderIn:
    """Who sent a message, with their open dialogue in its conversation and the one they set aside there."""

    author: Author
    dialogue: StoredDialogue | None
    aside: StoredDialogue | None


async def sender_in(
    session: AsyncSession, channel: str, address: str, conversation: str, aside: str
) -> SenderIn | None:
    """As :func:`sender`, with the person's open dialogue in this conversation and the one kept under ``aside``:
    every message needs them, and one query instead of three is a noticeable part of a message's handling time."""
    # Every message asks who sent it: the statements are built once, given their values when run.
    query = _BY_HANDLE_IN if channel == TERMINAL else _BY_ADDRESS_IN
    parameters = {"address": address, "channel": channel, "conversation": conversation, "aside": aside}
    row = (await session.execute(query, parameters)).first()
    if row is None:
        return None
    people, dialogue = len(_SENDER_COLUMNS), len(dialogues.COLUMNS)
    return SenderIn(
        Author(*row[:people]),
        dialogues.from_columns(row[people : people + dialogue]),
        dialogues.from_columns(row[people + dialogue :]),
    )


async def seen(session: AsyncSession, person_id: int, now: datetime) -> None:
    await session.execute(update(_PEOPLE).where(_PEOPLE.c.id == person_id).values(last_seen_at=now))


async def set_language(session: AsyncSession, person_id: int, language: str) -> None:
    await session.execute(update(_PEOPLE).where(_PEOPLE.c.id == person_id).values(language=language))


async def set_digest(session: AsyncSession, person_id: int, at: time | None) -> None:
    """Their routine reminders in one message a day at ``at`` (None: each as it falls due)."""
    await session.execute(update(_PEOPLE).where(_PEOPLE.c.id == person_id).values(digest_at=at))


async def by_ids(session: AsyncSession, ids: Collection[int]) -> dict[int, Professional]:
    if not ids:
        return {}
    found = await session.scalars(select(Professional).where(Professional.id.in_(ids)))
    return {person.id: person for person in found}


async def registered_names(session: AsyncSession) -> tuple[list[str], list[str]]:
    """The names of the active professionals and of the organisations: what people may name in chat without it
    being a client's name. Read only when a message seems to hold a name (it decrypts every name)."""
    people = await session.scalars(select(Professional.name).where(Professional.active.is_(True)))
    organisations = await session.scalars(select(Organisation.name))
    return list(people), list(organisations)
