"""A form for identifying details is either for entering them (the melder's, as before) or for reading them once
(the procesregisseur's view): the purpose is kept with the form and bound into its signature.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subject_forms") as batch:
        batch.add_column(sa.Column("purpose", sa.String(length=8), server_default="enter", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("subject_forms") as batch:
        batch.drop_column("purpose")
