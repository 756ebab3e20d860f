"""Outbox delivery: scheduled moment, leases, attempts, channel fallback, the action a reminder is about.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pending_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("failed_channels", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("channel", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_pending_messages_action_id", "actions", ["action_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index("ix_pending_action", ["action_id"], unique=False)
        batch_op.create_index("ix_pending_case_status", ["case_number", "status"], unique=False)
    op.execute("UPDATE pending_messages SET scheduled_at = due_at")
    with op.batch_alter_table("pending_messages", schema=None) as batch_op:
        batch_op.alter_column("scheduled_at", nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_case_status")
        batch_op.drop_index("ix_pending_action")
        batch_op.drop_constraint("fk_pending_messages_action_id", type_="foreignkey")
        for column in (
            "sent_at",
            "last_error",
            "channel",
            "failed_channels",
            "lease_owner",
            "attempts",
            "scheduled_at",
            "action_id",
        ):
            batch_op.drop_column(column)
