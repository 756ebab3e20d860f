"""The aandachtsfunctionaris per gemeente: the procesregisseur who hears first of its new referrals.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gemeente_contacts",
        sa.Column("gemeente", sa.String(length=100), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["professional_id"], ["professionals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("gemeente"),
    )


def downgrade() -> None:
    op.drop_table("gemeente_contacts")
