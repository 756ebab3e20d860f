"""What the channels keep in the case store for themselves: handled messages with their answers until sent, where
a sync stands, how to reach a Teams user, and each person's Matrix direct chat."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.crypto import EncryptedJSON
from storage.types import UTCDateTime


class InboundMessage(Base):
    """A channel message that has been handled, so a redelivered copy is not handled twice.

    Written in the same transaction as the handling itself. ``replies`` holds the answer until the channel has
    delivered it, so a crash between committing and sending still gets the person their answer after a restart;
    it is cleared once sent.
    """

    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("channel", "message_id", name="uq_inbound_message"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(255))
    conversation: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replies: Mapped[list[dict[str, Any]] | None] = mapped_column(EncryptedJSON("inbound_messages.replies"))


class ChannelCursor(Base):
    """Where a channel has read up to (a Matrix sync token), kept in the store so any process can resume."""

    __tablename__ = "channel_cursors"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TeamsConversation(Base):
    """Where the bot reaches a Teams user on its own initiative: the reference to their personal chat with the
    bot, stored at first contact and at every installation, so that any process can send after a restart.

    ``reachable`` turns false when Teams says the bot was blocked or removed (403/404), and true again as soon
    as the person writes or installs the app again.
    """

    __tablename__ = "teams_conversations"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    reference: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON("teams_conversations.reference"))
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MatrixDirectRoom(Base):
    """Which room is a Matrix account's direct chat with a person, as last seen. With it a restart needs no full
    room state from the homeserver (a region's few thousand rooms): a room is loaded when it is written in or to,
    and checked then, so a stale row costs one request, never a message to the wrong room."""

    __tablename__ = "matrix_direct_rooms"

    account: Mapped[str] = mapped_column(String(255), primary_key=True)
    person: Mapped[str] = mapped_column(String(255), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
