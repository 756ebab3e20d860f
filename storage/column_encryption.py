"""Turning a plain column into an encrypted one inside a migration: retype it to text, then encrypt each value
in place with the configured current key (or, going down, decrypt and retype back).

A store that holds values and has no key configured is refused before any table changes (the caller checks with
:func:`require_key`), so it is never left half-converted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from storage.crypto import keyring_of

# (table, key column, column, type before) of a column that becomes encrypted.
Column = tuple[str, str, str, Any]


def convert(table: str, key: str, column: str, encrypting: bool) -> None:
    """Encrypt (or decrypt) every value of one column, row by row, bound to ``table.column``."""
    bind = op.get_bind()
    raw = sa.table(table, sa.column(key), sa.column(column, sa.Text()))
    rows = bind.execute(sa.select(raw.c[key], raw.c[column]).where(raw.c[column].is_not(None))).all()
    if not rows:
        return
    keyring = keyring_of(bind.dialect)
    purpose = f"{table}.{column}"
    for row_key, value in rows:
        changed = keyring.encrypt(value, purpose) if encrypting else keyring.decrypt(value, purpose)
        bind.execute(sa.update(raw).where(raw.c[key] == row_key).values({column: changed}))


def retype(table: str, column: str, before: Any, after: Any) -> None:
    if type(before) is type(after):
        return
    cast = "text" if isinstance(after, sa.Text) else "json" if isinstance(after, sa.JSON) else "varchar"
    using = f"{column}::{cast}"
    with op.batch_alter_table(table) as batch:
        batch.alter_column(column, existing_type=before, type_=after, postgresql_using=using)


def require_key(columns: Sequence[Column]) -> None:
    """Stop here, before anything changes, when one of the columns holds a value and no key is configured."""
    bind = op.get_bind()
    for table, _, column, _ in columns:
        raw = sa.table(table, sa.column(column))
        if bind.execute(sa.select(raw.c[column]).where(raw.c[column].is_not(None)).limit(1)).first():
            _ = keyring_of(bind.dialect).current
            return


def encrypt(columns: Sequence[Column]) -> None:
    for table, key, column, before in columns:
        retype(table, column, before, sa.Text())
        convert(table, key, column, encrypting=True)


def decrypt(columns: Sequence[Column]) -> None:
    for table, key, column, before in columns:
        convert(table, key, column, encrypting=False)
        retype(table, column, sa.Text(), before)
