"""Reminders the way people want them (issue 36, part 4): a daily digest at a chosen time, being away until a
date, and the digest moment an outbox row waits for.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 18:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("professionals") as table:
        table.add_column(sa.Column("digest_at", sa.Time(), nullable=True))
        table.add_column(sa.Column("away_until", sa.Date(), nullable=True))
    with op.batch_alter_table("pending_messages") as table:
        table.add_column(sa.Column("gathered_for", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pending_messages") as table:
        table.drop_column("gathered_for")
    with op.batch_alter_table("professionals") as table:
        table.drop_column("away_until")
        table.drop_column("digest_at")
