"""A form for identifying details remembers how it was handed out: a Teams card, or a link to the form page.

A card's token is then refused on the page and a link's on Teams, so a token seen in one place cannot be sent
from another. Forms handed out before this version were links or cards alike; they live minutes, and are all
taken to be links.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subject_forms") as batch:
        batch.add_column(sa.Column("style", sa.String(length=8), server_default="link", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("subject_forms") as batch:
        batch.drop_column("style")
