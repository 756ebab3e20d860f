"""Encryption at rest: identifying and free-text columns hold ciphertext, and the keys in use are recorded.

Values already in the store are encrypted in place with the configured current key (``storage.crypto``); a store
with such values and no configured key is refused rather than left half-converted (the migration's transaction
rolls back).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from storage.crypto import keyring_of

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (table, key column, column, type before) of every column that becomes encrypted.
ENCRYPTED = [
    ("professionals", "id", "name", sa.String(length=200)),
    ("cases", "id", "goal", sa.Text()),
    ("case_transitions", "id", "note", sa.Text()),
    ("actions", "id", "description", sa.Text()),
    ("feedback", "id", "body", sa.Text()),
    ("dialogues", "id", "data", sa.JSON()),
    ("inbound_messages", "id", "replies", sa.JSON()),
    ("teams_conversations", "user_id", "reference", sa.JSON()),
]


def _convert(table: str, key: str, column: str, encrypting: bool) -> None:
    """Encrypt (or, going down, decrypt) every value of one column, row by row."""
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


def _retype(table: str, column: str, before: Any, after: Any) -> None:
    if type(before) is type(after):
        return
    using = f"{column}::{'text' if isinstance(after, sa.Text) else 'json'}"
    with op.batch_alter_table(table) as batch:
        batch.alter_column(column, existing_type=before, type_=after, postgresql_using=using)


def _holds_values() -> bool:
    bind = op.get_bind()
    for table, _, column, _ in ENCRYPTED:
        raw = sa.table(table, sa.column(column))
        if bind.execute(sa.select(raw.c[column]).where(raw.c[column].is_not(None)).limit(1)).first():
            return True
    return False


def upgrade() -> None:
    if _holds_values():
        _ = keyring_of(op.get_bind().dialect).current  # no key: refused before any table changes
    op.create_table(
        "encryption_keys",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("check_value", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id"),
    )
    for table, key, column, before in ENCRYPTED:
        _retype(table, column, before, sa.Text())
        _convert(table, key, column, encrypting=True)


def downgrade() -> None:
    for table, key, column, before in ENCRYPTED:
        _convert(table, key, column, encrypting=False)
        _retype(table, column, sa.Text(), before)
    op.drop_table("encryption_keys")
