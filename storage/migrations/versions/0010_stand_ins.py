"""Waarneming: a procesregisseur's cases directed by a colleague for a period.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stand_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("absent_id", sa.Integer(), nullable=False),
        sa.Column("stand_in_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["absent_id"], ["professionals.id"]),
        sa.ForeignKeyConstraint(["stand_in_id"], ["professionals.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stand_ins_absent_ends", "stand_ins", ["absent_id", "ends_at"])


def downgrade() -> None:
    op.drop_index("ix_stand_ins_absent_ends", table_name="stand_ins")
    op.drop_table("stand_ins")
