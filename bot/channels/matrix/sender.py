"""The delivery engine's way into Matrix: a person's direct chat, found or created, and the outbox row's key
as transaction id so that a retried send is delivered once."""

from __future__ import annotations

from bot.channels.matrix.channel import MatrixChannel
from bot.channels.matrix.connection import CHANNEL
from bot.channels.matrix.render import content_of
from bot.senders import NotHere, Outgoing
from storage.models import Professional


class MatrixSender:
    name = CHANNEL

    def __init__(self, channel: MatrixChannel) -> None:
        self._channel = channel

    def address(self, person: Professional) -> str | None:
        return person.address(CHANNEL)

    def scope(self, address: str) -> str:
        """Rate limits apply to the bot's own account, whoever the message is for."""
        return CHANNEL

    def ready(self) -> bool:
        return self._channel.connection is not None and self._channel.serving.is_set()

    async def send(self, address: str, message: Outgoing) -> str:
        connection = self._channel.connection
        if connection is None or not self._channel.serving.is_set():
            raise NotHere("another process serves Matrix")
        room_id = await connection.direct_room(address)  # network trouble arrives as TemporaryFailure
        await connection.send(
            room_id, content_of(message.reply, own_links=self._channel.own_links), message.key
        )
        return room_id
