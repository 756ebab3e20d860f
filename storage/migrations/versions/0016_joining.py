"""Joining without an operator: organisations know their Teams tenant and Matrix homeserver, professionals
carry the day they last wrote (for the review of unused accounts), and join requests wait for a decision.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.add_column(sa.Column("teams_tenant", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("matrix_server", sa.String(length=255), nullable=True))
        batch_op.create_index("ix_organisations_teams_tenant", ["teams_tenant"])
        batch_op.create_index("ix_organisations_matrix_server", ["matrix_server"])
    with op.batch_alter_table("professionals") as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "join_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["professionals.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "address", name="uq_join_requests_address"),
    )


def downgrade() -> None:
    op.drop_table("join_requests")
    with op.batch_alter_table("professionals") as batch_op:
        batch_op.drop_column("last_seen_at")
    with op.batch_alter_table("organisations") as batch_op:
        batch_op.drop_index("ix_organisations_matrix_server")
        batch_op.drop_index("ix_organisations_teams_tenant")
        batch_op.drop_column("matrix_server")
        batch_op.drop_column("teams_tenant")
