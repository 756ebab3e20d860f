"""How many checks came out how, per day: the check is anonymous, so this count (no person, no case, no answer)
is all that is kept of it, for the network's figures.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_tallies",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "outcome"),
    )


def downgrade() -> None:
    op.drop_table("check_tallies")
