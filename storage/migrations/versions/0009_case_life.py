"""The case after intake: why a transition was made, and closed cases left consistent.

Adds ``case_transitions.reason`` (why a case was closed, to whom it was escalated) and ``actions.note`` (why the
procesregisseur last changed an action, encrypted like all free text). Cases closed before this
version could keep open actions, a next overleg and queued notices; they are put right here as closing does
now: their open actions are cancelled, the next overleg is cleared, and what was still queued about them is
cancelled (the outcome for the melder excepted).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CLOSED = "SELECT id FROM cases WHERE state = 'afgesloten'"


def upgrade() -> None:
    with op.batch_alter_table("case_transitions") as batch:
        batch.add_column(sa.Column("reason", sa.String(length=32), nullable=True))
    with op.batch_alter_table("actions") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))
    op.execute(f"UPDATE actions SET status = 'geannuleerd' WHERE status = 'open' AND case_id IN ({CLOSED})")
    op.execute("UPDATE cases SET next_meeting_at = NULL WHERE state = 'afgesloten'")
    op.execute(
        "UPDATE pending_messages SET status = 'cancelled' WHERE status = 'pending' AND kind <> 'case_closed' "
        "AND case_number IN (SELECT number FROM cases WHERE state = 'afgesloten')"
    )


def downgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("case_transitions") as batch:
        batch.drop_column("reason")
