"""The betrokkene's rights (issue 37): a searchable keyed hash beside the encrypted details, a case's extended
bewaartermijn and restriction, and the decisions with their reasons.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_subjects") as table:
        table.add_column(sa.Column("lookup", sa.String(length=100), nullable=True))
        table.create_index("ix_case_subjects_lookup", ["lookup"])
    with op.batch_alter_table("cases") as table:
        table.add_column(sa.Column("retain_until", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("restricted_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("disputes", sa.Text(), nullable=True))
    op.create_table(
        "privacy_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("case_number", sa.String(length=32), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("previous", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_privacy_decisions_case_number", "privacy_decisions", ["case_number"])


def downgrade() -> None:
    op.drop_index("ix_privacy_decisions_case_number", table_name="privacy_decisions")
    op.drop_table("privacy_decisions")
    with op.batch_alter_table("cases") as table:
        table.drop_column("disputes")
        table.drop_column("restricted_at")
        table.drop_column("retain_until")
    with op.batch_alter_table("case_subjects") as table:
        table.drop_index("ix_case_subjects_lookup")
        table.drop_column("lookup")
