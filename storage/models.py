"""The case store's tables, as typed SQLAlchemy 2 models.

Free text and identifying fields are kept to the minimum the process needs, and stored encrypted
(``storage.crypto``): their column types say so, and ``vhbot keys rotate`` finds them by those types. What the
channels keep for themselves is in ``storage.channel_tables``; both are here, on one ``Base``, for Alembic.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import Base, stored_enum
from storage.channel_tables import ChannelCursor, InboundMessage, MatrixDirectRoom, TeamsConversation
from storage.crypto import EncryptedJSON, EncryptedText
from storage.enums import ActionStatus, CaseState, JoinStatus, OutboxStatus, Role
from storage.types import UTCDateTime

# The channels' tables are defined apart and registered on the same Base here, so that whoever reads the whole
# schema from this module (Alembic, the key rotation, the tests) has every table.
# The enums of stored columns live in storage.enums, and are found here as well.
__all__ = [
    "ActionStatus",
    "Base",
    "CaseState",
    "ChannelCursor",
    "InboundMessage",
    "JoinStatus",
    "MatrixDirectRoom",
    "OutboxStatus",
    "Role",
    "TeamsConversation",
]


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(64))
    # Where its people come from: a professional of this tenant or homeserver who is not registered yet may ask
    # to join, and one registered by e-mail address is linked on first contact from there.
    teams_tenant: Mapped[str | None] = mapped_column(String(64), index=True)
    matrix_server: Mapped[str | None] = mapped_column(String(255), index=True)


class Professional(Base):
    """A registered person who may talk to the bot, with one role and per-channel addresses."""

    __tablename__ = "professionals"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(EncryptedText("professionals.name"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[Role] = mapped_column(stored_enum(Role))
    language: Mapped[str] = mapped_column(String(2), default="nl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The day they last wrote (kept to the day: one write a day at most), for the review of unused accounts.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Their routine reminders gathered into one message a day at this local time (None: each when it falls due).
    digest_at: Mapped[time | None] = mapped_column(Time())
    # Away: their routine reminders wait until this day (the first day back), local.
    away_until: Mapped[date | None] = mapped_column(Date())
    # Loaded with the person (one query for a whole batch of people): the delivery engine needs them for
    # everyone it writes to.
    addresses: Mapped[list[ChannelAddress]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ChannelAddress.channel"
    )

    def address(self, channel: str) -> str | None:
        """Where ``channel`` reaches this person, or None."""
        return next((item.address for item in self.addresses if item.channel == channel), None)


class ChannelAddress(Base):
    """How one channel knows a professional: a Matrix user id, an Entra ID (AAD) object id. A person has at most
    one address per channel, and an address belongs to one person; a new channel needs no new column."""

    __tablename__ = "channel_addresses"
    __table_args__ = (
        UniqueConstraint("channel", "address", name="uq_channel_addresses_address"),
        UniqueConstraint("professional_id", "channel", name="uq_channel_addresses_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("professionals.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(255))


class StandIn(Base):
    """A waarneming: ``stand_in_id`` directs the cases of ``absent_id`` from ``starts_at`` until ``ends_at``."""

    __tablename__ = "stand_ins"
    __table_args__ = (Index("ix_stand_ins_absent_ends", "absent_id", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    absent_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    stand_in_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())


class GemeenteContact(Base):
    """The aandachtsfunctionaris of a gemeente: the procesregisseur who hears first of its new referrals."""

    __tablename__ = "gemeente_contacts"

    gemeente: Mapped[str] = mapped_column(String(100), primary_key=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("professionals.id", ondelete="CASCADE"))


class CaseCounter(Base):
    """Last case sequence number handed out per year; rows are locked while incremented."""

    __tablename__ = "case_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    """A referral and, once accepted, the case the procesregisseur directs."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_director_state", "procesregisseur_id", "state"),
        Index("ix_cases_state_created", "state", "created_at"),
        Index("ix_cases_melder", "melder_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    state: Mapped[CaseState] = mapped_column(stored_enum(CaseState))
    melder_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    procesregisseur_id: Mapped[int | None] = mapped_column(ForeignKey("professionals.id"))
    gemeente: Mapped[str] = mapped_column(String(100))
    subject_type: Mapped[str] = mapped_column(String(32))
    # Health and criminal data (AVG art. 9 and 10) next to a case number: encrypted like all free text.
    leefgebieden: Mapped[list[str]] = mapped_column(EncryptedJSON("cases.leefgebieden"))
    ketens: Mapped[list[str]] = mapped_column(EncryptedJSON("cases.ketens"))
    urgency: Mapped[str] = mapped_column(String(32))
    informed: Mapped[str] = mapped_column(EncryptedText("cases.informed"))  # 'not: a criminal investigation'
    goal: Mapped[str] = mapped_column(EncryptedText("cases.goal"))
    check_outcome: Mapped[str | None] = mapped_column(EncryptedText("cases.check_outcome"))
    next_meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Kept past the bewaartermijn until then, by a decision with a reason (a PrivacyDecision); None: the term.
    retain_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Restricted (AVG art. 18): kept, but shown, changed and reminded about for nobody until lifted.
    restricted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the betrokkene disputes (AVG art. 16), as notes shown with the case: [{"part", "on"}]; the statement
    # itself is not rewritten.
    disputes: Mapped[list[dict[str, str]] | None] = mapped_column(EncryptedJSON("cases.disputes"))


class CaseTransition(Base):
    """Every state change, with who made it and when."""

    __tablename__ = "case_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[CaseState | None] = mapped_column(stored_enum(CaseState))
    to_state: Mapped[CaseState] = mapped_column(stored_enum(CaseState))
    actor_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(EncryptedText("case_transitions.note"))
    # A key from config/process.toml (why it was closed, to whom it was escalated): counted for the figures.
    reason: Mapped[str | None] = mapped_column(String(32))


class CaseParticipant(Base):
    """A deelnemer: a person, or a whole organisation, taking part in one case."""

    __tablename__ = "case_participants"
    __table_args__ = (
        UniqueConstraint("case_id", "professional_id", "organisation_id", name="uq_case_participant"),
        Index("ix_participants_professional", "professional_id"),
        Index("ix_participants_organisation", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    professional_id: Mapped[int | None] = mapped_column(ForeignKey("professionals.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))


class Action(Base):
    """One agreed action of a plan van aanpak: who does what by when."""

    __tablename__ = "actions"
    __table_args__ = (
        UniqueConstraint("case_id", "seq", name="uq_action_case_seq"),
        Index("ix_actions_holder_status", "holder_id", "status"),
        Index("ix_actions_holder_org_status", "holder_organisation_id", "status"),
        Index("ix_actions_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(EncryptedText("actions.description"))
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("professionals.id"))
    holder_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[ActionStatus] = mapped_column(stored_enum(ActionStatus))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why the procesregisseur last changed it (a later deadline, cancelled), as they wrote it.
    note: Mapped[str | None] = mapped_column(EncryptedText("actions.note"))


class Feedback(Base):
    """A terugkoppeling on a case, optionally about one action, optionally a zorgsignaal."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_case_created", "case_id", "created_at"),
        Index("ix_feedback_case_read", "case_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    body: Mapped[str] = mapped_column(EncryptedText("feedback.body"))
    concern: Mapped[bool] = mapped_column(Boolean, default=False)
    # A question from the procesregisseur to the melder during intake, rather than an update.
    to_melder: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CaseSubject(Base):
    """The betrokkene's identifying details of a referral (name, date of birth, address; never the BSN). They
    are entered in a form, never in chat, and only the procesregisseur's process needs them: every field is
    encrypted, and they go with the case when it is purged."""

    __tablename__ = "case_subjects"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(EncryptedText("case_subjects.name"))
    birth_date: Mapped[str] = mapped_column(EncryptedText("case_subjects.birth_date"))
    address: Mapped[str] = mapped_column(EncryptedText("case_subjects.address"))
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A keyed hash of the normalised name and birth date ("<key id>:<hex>"), so an operator answering a
    # betrokkene's request finds their cases without decrypting every row (storage.subject_search).
    lookup: Mapped[str | None] = mapped_column(String(100), index=True)


class SubjectForm(Base):
    """One form handed out for a case's identifying details: bound to one professional and one case, signed
    with ``key_id``'s link key, valid until ``expires_at`` and used at most once (``used_at``)."""

    __tablename__ = "subject_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("professionals.id", ondelete="CASCADE"))
    key_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    style: Mapped[str] = mapped_column(String(8), server_default="link")  # handed out as a card or a link
    purpose: Mapped[str] = mapped_column(
        String(8), server_default="enter"
    )  # to enter the details, or read them


class Invite(Base):
    """A code that lets professionals join one organisation as melder: kept only as a keyed hash, usable
    ``uses_left`` more times until ``expires_at``."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    uses_left: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(120))  # a handle, or the command line


class JoinRequest(Base):
    """Someone from a known tenant or homeserver who asked to join: one row per channel address, so a second
    request while one is open is the same row. The name the channel gave is kept until the decision only."""

    __tablename__ = "join_requests"
    __table_args__ = (UniqueConstraint("channel", "address", name="uq_join_requests_address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(EncryptedText("join_requests.display_name"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    status: Mapped[JoinStatus] = mapped_column(stored_enum(JoinStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("professionals.id", ondelete="SET NULL"))


class CheckTally(Base):
    """How many anonymous checks came out how on one day: all that is kept of them."""

    __tablename__ = "check_tallies"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class Dialogue(Base):
    """Where a person is in a conversation, so a restart resumes it."""

    __tablename__ = "dialogues"
    __table_args__ = (UniqueConstraint("professional_id", "conversation", name="uq_dialogue_conversation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("professionals.id", ondelete="CASCADE"))
    conversation: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("dialogues.data"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntry(Base):
    """NEN 7513-style log line: who, on whose behalf, what, which case, when, through which channel.

    ``case_number`` is a plain string, not a foreign key, so purging a case keeps its audit trail.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_case", "case_number", "at"), Index("ix_audit_actor", "actor_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(Integer)
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))
    event: Mapped[str] = mapped_column(String(64))
    case_number: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))


class PrivacyDecision(Base):
    """What an operator or procesregisseur decided about a betrokkene's data, with the reason: a search and its
    purpose, an inzage, an extended bewaartermijn, a restriction and its lifting, an erasure and its decision
    reference. The audit trail says who did it and when; this keeps why. ``case_number`` is a plain string so the
    decision outlives an erased case."""

    __tablename__ = "privacy_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(32))
    case_number: Mapped[str | None] = mapped_column(String(32), index=True)
    by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(EncryptedText("privacy_decisions.reason"))
    reference: Mapped[str | None] = mapped_column(EncryptedText("privacy_decisions.reference"))
    until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A correction's previous value, kept here only (encrypted) so the correction can be accounted for.
    previous: Mapped[str | None] = mapped_column(EncryptedText("privacy_decisions.previous"))


class PendingMessage(Base):
    """An outbox row: a message the bot sends on its own initiative, written with its cause.

    ``params`` carry case numbers and action references only, never case content. ``scheduled_at`` is the
    moment the message is meant for; ``due_at`` is when it may next be tried: a claim moves it one lease ahead
    (so a crashed holder's rows come back by themselves) and a retry moves it by the backoff.
    """

    __tablename__ = "pending_messages"
    __table_args__ = (
        Index("ix_pending_status_due", "status", "due_at"),
        Index("ix_pending_action", "action_id"),
        Index("ix_pending_case_status", "case_number", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("professionals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    case_number: Mapped[str | None] = mapped_column(String(32))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[OutboxStatus] = mapped_column(stored_enum(OutboxStatus))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    failed_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    channel: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(120))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The moment this row was set aside until (the recipient's digest, or their first day back): due then, and
    # inside the digest when they have one.
    gathered_for: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EncryptionKey(Base):
    """A key the store has been written with, and a value only that key decrypts: at start every key still in
    use must be configured and right, so a missing or wrong key stops the bot before anything is half-read.
    ``retired_at`` is set when a rotation has re-encrypted every value under a newer key."""

    __tablename__ = "encryption_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    check_value: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
