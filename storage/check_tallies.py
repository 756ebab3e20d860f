"""Counting anonymous checks by day and outcome, the only trace a check leaves (for the figures).

Several bot processes count at once, so one statement adds one: an insert that adds to the row when it is there
(both SQLite and PostgreSQL speak ``ON CONFLICT DO UPDATE``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CheckTally


async def count(session: AsyncSession, day: date, outcome: str) -> None:
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(CheckTally).values(day=day, outcome=outcome, count=1)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CheckTally.day, CheckTally.outcome], set_={"count": CheckTally.count + 1}
        )
    )


async def by_outcome(session: AsyncSession, first: date, end: date) -> dict[str, int]:
    """How many checks came out how from ``first`` up to but not including ``end``."""
    query = (
        select(CheckTally.outcome, func.sum(CheckTally.count))
        .where(CheckTally.day >= first, CheckTally.day < end)
        .group_by(CheckTally.outcome)
    )
    return {outcome: int(total) for outcome, total in (await session.execute(query)).all()}
