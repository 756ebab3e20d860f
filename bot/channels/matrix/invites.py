"""Which invites the bot's Matrix account accepts: whom it serves, or who may ask to join."""

from __future__ import annotations

import logging

from nio import InviteInfo, InviteMemberEvent

from bot.app import App
from bot.channels.matrix.connection import CHANNEL, MatrixConnection
from bot.dispatcher import Identity

log = logging.getLogger(__name__)


class Invites:
    def __init__(self, app: App) -> None:
        self._app = app

    async def answer(self, connection: MatrixConnection, room_id: str, invite: InviteInfo) -> None:
        """Join when a registered professional (from an allowed homeserver) invites, or anyone from the homeserver
        of an organisation (who may ask to join). Where the homeservers are named, anyone on them is let in too, so
        a newcomer can type an invite code (until then every answer is the stranger's one line); otherwise anyone
        unregistered is declined."""
        inviter = next(
            (
                event.sender
                for event in invite.invite_state
                if isinstance(event, InviteMemberEvent)
                and event.state_key == connection.user_id
                and event.membership == "invite"
            ),
            None,
        )
        named = bool(self._app.settings.matrix_allowed_homeservers)
        if inviter and self._homeserver_allowed(inviter) and (named or await self._welcomes(inviter)):
            await connection.client.join(room_id)
            await connection.introduce(room_id)
            return
        log.info("matrix: declined an invite from someone not registered")
        await connection.client.room_leave(room_id)

    def _homeserver_allowed(self, user_id: str) -> bool:
        allowed = self._app.settings.matrix_allowed_homeservers
        return not allowed or user_id.partition(":")[2] in allowed

    async def _welcomes(self, user_id: str) -> bool:
        """Registered, or on the homeserver of an organisation (whose people may ask to join)."""
        return await self._app.dispatcher.welcomes(Identity(CHANNEL, user_id), user_id.partition(":")[2])
