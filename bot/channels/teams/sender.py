"""The delivery engine's way into Teams: the person's stored personal-chat reference and a proactive turn.

Teams' answers are sorted as the engine needs them: 403 (blocked, uninstalled, not in the roster) and 404 mean
the address is gone, so it is marked unreachable and the engine tries the next channel; 429 holds back that
tenant; server and network trouble is tried again.
"""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp
from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.core import TurnContext

from bot import metrics
from bot.channels.teams.channel import TeamsChannel
from bot.channels.teams.door import CHANNEL
from bot.dispatcher import Identity
from bot.senders import NotHere, Outgoing, PermanentFailure, RateLimited, TemporaryFailure
from storage import teams
from storage.models import Professional

GONE = (403, 404)
DEFAULT_RETRY_AFTER = 1.0


def retry_after(headers: Mapping[str, str] | None) -> float:
    """Teams' Retry-After in seconds, or a second when it gives none (or nothing readable)."""
    value = headers.get("Retry-After") if headers else None
    try:
        return max(float(value), 0.0) if value is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER


class TeamsSender:
    name = CHANNEL

    def __init__(self, channel: TeamsChannel) -> None:
        self._channel = channel
        self._app = channel.app

    def address(self, person: Professional) -> str | None:
        return person.address(CHANNEL)

    def scope(self, address: str) -> str:
        """Teams throttles per app and tenant."""
        return f"{CHANNEL}:{self._channel.chats.tenants.get(address, '')}"

    def ready(self) -> bool:
        return self._channel.serving.is_set()

    async def send(self, address: str, message: Outgoing) -> str:
        if not self._channel.serving.is_set():
            raise NotHere("the Teams endpoint is not up in this process")
        async with self._app.sessions() as session:
            row = await teams.reference_of(session, address)
        if row is None or not row.reachable:
            raise PermanentFailure("no reachable Teams chat")
        self._channel.chats.tenants[address] = row.tenant_id
        reference = ConversationReference.model_validate(row.reference)
        identity = Identity(CHANNEL, address)
        language = await self._app.dispatcher.language_of(identity)

        async def deliver(context: TurnContext) -> None:
            conversation = reference.conversation.id
            await self._channel.send_replies(context, [message.reply], language, conversation, identity)

        try:
            await self._channel.continue_conversation(reference, deliver)
        except aiohttp.ClientResponseError as error:
            metrics.TEAMS_ERRORS.labels(str(error.status)).inc()
            if error.status in GONE:
                await self._channel.chats.gone(address)
                raise PermanentFailure(f"Teams answered {error.status}") from None
            if error.status == 429:
                raise RateLimited(retry_after(error.headers), self.scope(address)) from None
            if error.status >= 500 or error.status == 401:
                raise TemporaryFailure(f"Teams answered {error.status}") from None
            raise PermanentFailure(f"Teams answered {error.status}") from None
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            raise TemporaryFailure(type(error).__name__) from None
        return reference.conversation.id
