"""Encryption at rest: identifying and free-text columns hold ciphertext, and the keys in use are recorded.

Values already in the store are encrypted in place with the configured current key (``storage.crypto``); a store
with such values and no configured key is refused rather than left half-converted (the migration's transaction
rolls back).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.column_encryption import Column, decrypt, encrypt, require_key

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (table, key column, column, type before) of every column that becomes encrypted.
ENCRYPTED: list[Column] = [
    ("professionals", "id", "name", sa.String(length=200)),
    ("cases", "id", "goal", sa.Text()),
    ("case_transitions", "id", "note", sa.Text()),
    ("actions", "id", "description", sa.Text()),
    ("feedback", "id", "body", sa.Text()),
    ("dialogues", "id", "data", sa.JSON()),
    ("inbound_messages", "id", "replies", sa.JSON()),
    ("teams_conversations", "user_id", "reference", sa.JSON()),
]


def upgrade() -> None:
    require_key(ENCRYPTED)  # no key: refused before any table changes
    op.create_table(
        "encryption_keys",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("check_value", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id"),
    )
    encrypt(ENCRYPTED)


def downgrade() -> None:
    decrypt(ENCRYPTED)
    op.drop_table("encryption_keys")
