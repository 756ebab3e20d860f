"""Channel addresses in a table of their own (person, channel, address) instead of a column per channel.

Every Matrix id and Teams object id the professionals had is copied over, so everyone stays reachable.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# The channel each old column belonged to.
COLUMNS = {"matrix": "matrix_id", "teams": "teams_id"}


def upgrade() -> None:
    op.create_table(
        "channel_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["professional_id"], ["professionals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "address", name="uq_channel_addresses_address"),
        sa.UniqueConstraint("professional_id", "channel", name="uq_channel_addresses_person"),
    )
    for channel, column in COLUMNS.items():
        op.execute(
            sa.text(
                "INSERT INTO channel_addresses (professional_id, channel, address) "
                f"SELECT id, :channel, {column} FROM professionals WHERE {column} IS NOT NULL"
            ).bindparams(channel=channel)
        )
    with op.batch_alter_table("professionals") as batch:
        for column in COLUMNS.values():
            batch.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table("professionals") as batch:
        batch.add_column(sa.Column("matrix_id", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("teams_id", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_professionals_matrix_id", ["matrix_id"])
        batch.create_unique_constraint("uq_professionals_teams_id", ["teams_id"])
    for channel, column in COLUMNS.items():
        op.execute(
            sa.text(
                f"UPDATE professionals SET {column} = (SELECT address FROM channel_addresses "
                "WHERE channel_addresses.professional_id = professionals.id AND channel = :channel)"
            ).bindparams(channel=channel)
        )
    op.drop_table("channel_addresses")
