"""Dialogue state per person and conversation.

Every message reads and writes its sender's dialogue, so it is read as a plain value and written through the
table with statements built once: the ORM's unit of work (loading an entity, tracking its changes, flushing
them) and building each statement anew cost more than the SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dialogue

_TABLE = cast(Table, Dialogue.__table__)
AnySelect = Select[*tuple[Any, ...]]
COLUMNS = (_TABLE.c.id, _TABLE.c.kind, _TABLE.c.step, _TABLE.c.data, _TABLE.c.updated_at)


@dataclass(frozen=True)
class StoredDialogue:
    """A dialogue as it was read; changing it means saving a new state with :func:`save`."""

    id: int
    kind: str
    step: str
    data: dict[str, Any]
    updated_at: datetime


def from_columns(row: Sequence[Any]) -> StoredDialogue | None:
    """The dialogue in ``COLUMNS``' values, or None where an outer join found none."""
    return None if row[0] is None else StoredDialogue(*row)


def _of(professional_id: Any, conversation: Any) -> ColumnElement[bool]:
    return and_(_TABLE.c.professional_id == professional_id, _TABLE.c.conversation == conversation)


_ASIDE = _TABLE.alias("aside")


def with_dialogues(query: AnySelect, professional_id: Any) -> AnySelect:
    """``query`` with the ``COLUMNS`` of two of the person's dialogues added (None where there is none): the one
    in the conversation given as the parameter ``conversation``, then the one kept under the parameter ``aside``
    (a dialogue set aside, see ``bot.set_aside``)."""
    aside_columns = [_ASIDE.c[column.name] for column in COLUMNS]
    aside_of = and_(_ASIDE.c.professional_id == professional_id, _ASIDE.c.conversation == bindparam("aside"))
    return (
        query.add_columns(*COLUMNS, *aside_columns)
        .outerjoin(_TABLE, _of(professional_id, bindparam("conversation")))
        .outerjoin(_ASIDE, aside_of)
    )


_LOAD = select(*COLUMNS).where(_of(bindparam("person_id"), bindparam("conversation")))
_UPDATE = update(_TABLE).where(_TABLE.c.id == bindparam("dialogue_id"))
_DELETE = delete(_TABLE).where(_TABLE.c.id == bindparam("dialogue_id"))


async def load(session: AsyncSession, person_id: int, conversation: str) -> StoredDialogue | None:
    row = (await session.execute(_LOAD, {"person_id": person_id, "conversation": conversation})).first()
    return None if row is None else from_columns(row)


async def save(
    session: AsyncSession,
    existing: StoredDialogue | None,
    *,
    person_id: int,
    conversation: str,
    kind: str,
    step: str,
    data: dict[str, Any],
    now: datetime,
) -> None:
    values = {"kind": kind, "step": step, "data": data, "updated_at": now}
    if existing is None:
        values |= {"professional_id": person_id, "conversation": conversation}
        await session.execute(insert(_TABLE), values)
        return
    await session.execute(_UPDATE, values | {"dialogue_id": existing.id})


async def end(session: AsyncSession, existing: StoredDialogue) -> None:
    """The dialogue is over (finished, stopped, expired)."""
    await session.execute(_DELETE, {"dialogue_id": existing.id})
