"""Initial schema: organisations, professionals, cases, actions, feedback, dialogues, audit, outbox.

Revision ID: 0001
Revises: none
Create Date: 2026-11-23 08:24:19.240117
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("on_behalf_of", sa.String(length=200), nullable=True),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("case_number", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_actor", ["actor_id", "at"], unique=False)
        batch_op.create_index("ix_audit_case", ["case_number", "at"], unique=False)

    op.create_table(
        "case_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "professionals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("melder", "procesregisseur", "ketenmanager", name="role", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("matrix_id", sa.String(length=255), nullable=True),
        sa.Column("teams_id", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("handle"),
        sa.UniqueConstraint("matrix_id"),
        sa.UniqueConstraint("teams_id"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "ingediend",
                "screening",
                "advies",
                "geaccepteerd",
                "casusoverleg_gepland",
                "plan_van_aanpak",
                "uitvoering",
                "vervolgoverleg",
                "opgeschaald",
                "afgeschaald",
                "afgesloten",
                name="casestate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("melder_id", sa.Integer(), nullable=False),
        sa.Column("procesregisseur_id", sa.Integer(), nullable=True),
        sa.Column("gemeente", sa.String(length=100), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("leefgebieden", sa.JSON(), nullable=False),
        sa.Column("ketens", sa.JSON(), nullable=False),
        sa.Column("urgency", sa.String(length=32), nullable=False),
        sa.Column("informed", sa.String(length=32), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("check_outcome", sa.String(length=32), nullable=True),
        sa.Column("next_meeting_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["melder_id"],
            ["professionals.id"],
        ),
        sa.ForeignKeyConstraint(
            ["procesregisseur_id"],
            ["professionals.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_director_state", ["procesregisseur_id", "state"], unique=False)
        batch_op.create_index("ix_cases_melder", ["melder_id", "created_at"], unique=False)
        batch_op.create_index("ix_cases_state_created", ["state", "created_at"], unique=False)

    op.create_table(
        "dialogues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=False),
        sa.Column("conversation", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("step", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["professional_id"], ["professionals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("professional_id", "conversation", name="uq_dialogue_conversation"),
    )
    op.create_table(
        "pending_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("case_number", sa.String(length=32), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "sent", "failed", "cancelled", name="outboxstatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["recipient_id"], ["professionals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("pending_messages", schema=None) as batch_op:
        batch_op.create_index("ix_pending_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=True),
        sa.Column("holder_organisation_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "gedaan", name="actionstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["professionals.id"],
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["professionals.id"],
        ),
        sa.ForeignKeyConstraint(
            ["holder_organisation_id"],
            ["organisations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "seq", name="uq_action_case_seq"),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_actions_holder_org_status", ["holder_organisation_id", "status"], unique=False
        )
        batch_op.create_index("ix_actions_holder_status", ["holder_id", "status"], unique=False)
        batch_op.create_index("ix_actions_status_deadline", ["status", "deadline"], unique=False)

    op.create_table(
        "case_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("professional_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professionals.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "professional_id", "organisation_id", name="uq_case_participant"),
    )
    with op.batch_alter_table("case_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_participants_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_participants_organisation", ["organisation_id"], unique=False)
        batch_op.create_index("ix_participants_professional", ["professional_id"], unique=False)

    op.create_table(
        "case_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_state",
            sa.Enum(
                "ingediend",
                "screening",
                "advies",
                "geaccepteerd",
                "casusoverleg_gepland",
                "plan_van_aanpak",
                "uitvoering",
                "vervolgoverleg",
                "opgeschaald",
                "afgeschaald",
                "afgesloten",
                name="casestate",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_state",
            sa.Enum(
                "ingediend",
                "screening",
                "advies",
                "geaccepteerd",
                "casusoverleg_gepland",
                "plan_van_aanpak",
                "uitvoering",
                "vervolgoverleg",
                "opgeschaald",
                "afgeschaald",
                "afgesloten",
                name="casestate",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["professionals.id"],
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_transitions_case_id"), ["case_id"], unique=False)

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("concern", sa.Boolean(), nullable=False),
        sa.Column("to_melder", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["actions.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["professionals.id"],
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_case_created", ["case_id", "created_at"], unique=False)
        batch_op.create_index("ix_feedback_case_read", ["case_id", "read_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_case_read")
        batch_op.drop_index("ix_feedback_case_created")

    op.drop_table("feedback")
    with op.batch_alter_table("case_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_transitions_case_id"))

    op.drop_table("case_transitions")
    with op.batch_alter_table("case_participants", schema=None) as batch_op:
        batch_op.drop_index("ix_participants_professional")
        batch_op.drop_index("ix_participants_organisation")
        batch_op.drop_index(batch_op.f("ix_case_participants_case_id"))

    op.drop_table("case_participants")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_status_deadline")
        batch_op.drop_index("ix_actions_holder_status")
        batch_op.drop_index("ix_actions_holder_org_status")

    op.drop_table("actions")
    with op.batch_alter_table("pending_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_status_due")

    op.drop_table("pending_messages")
    op.drop_table("dialogues")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_state_created")
        batch_op.drop_index("ix_cases_melder")
        batch_op.drop_index("ix_cases_director_state")

    op.drop_table("cases")
    op.drop_table("professionals")
    op.drop_table("organisations")
    op.drop_table("case_counters")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_case")
        batch_op.drop_index("ix_audit_actor")

    op.drop_table("audit_entries")
