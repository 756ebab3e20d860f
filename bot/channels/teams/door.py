"""Who the Teams channel serves, and in which language it refuses the rest.

Only the tenants allowed (by setting, or named for an organisation with ``vhbot orgs set``) and only the personal
chat get anything but one line; the person's language is remembered, so that line and a 'working on it' need not
wait for a store that is slow.
"""

from __future__ import annotations

import hashlib
import time

from microsoft_agents.activity import Activity
from sqlalchemy.exc import SQLAlchemyError

from bot.app import App
from bot.dispatcher import Identity

CHANNEL = "teams"
PERSONAL = "personal"
TEAMS_CHANNEL_ID = "msteams"  # the Bot Framework's name for Teams (others: webchat, directline, emulator)
TENANTS_REREAD_SECONDS = 60.0


def is_personal(activity: Activity) -> bool:
    """Only an explicit personal chat in Teams itself is private. A conversation without a type, a group
    (``isGroup``), or another channel (webchat, directline, the emulator) may have others in it: it gets only the
    pointer to the personal chat, and its reference is never kept for proactive messages."""
    conversation = activity.conversation
    return (
        str(activity.channel_id or "").split(":", 1)[0] == TEAMS_CHANNEL_ID
        and conversation is not None
        and conversation.conversation_type == PERSONAL
        and not conversation.is_group
    )


def tenant_of(activity: Activity) -> str:
    tenant = activity.conversation.tenant_id if activity.conversation else None
    if not tenant and isinstance(activity.channel_data, dict):
        tenant = (activity.channel_data.get("tenant") or {}).get("id")
    return str(tenant or "")


def message_key(activity: Activity) -> str:
    """Activity ids are unique within a conversation; the key for 'handled once' must be unique everywhere."""
    return hashlib.sha256(f"{activity.conversation.id}\n{activity.id}".encode()).hexdigest()


class Door:
    def __init__(self, app: App) -> None:
        self.app = app
        # The tenants organisations name (``vhbot orgs set``): allowed beside the configured ones. Read at start
        # and again, at most once a minute, when someone from another tenant writes.
        self._organisation_tenants: set[str] = set()
        self._tenants_read_at = 0.0
        self._languages: dict[str, str] = {}

    async def read_tenants(self) -> None:
        self._organisation_tenants = await self.app.dispatcher.homes(CHANNEL)
        self._tenants_read_at = time.monotonic()

    async def allowed(self, activity: Activity) -> bool:
        allowed, tenant = self.app.settings.allowed_tenants, tenant_of(activity)
        if not allowed or tenant in allowed or tenant in self._organisation_tenants:
            return True
        if time.monotonic() - self._tenants_read_at < TENANTS_REREAD_SECONDS:
            return False
        self._tenants_read_at = time.monotonic()
        try:
            self._organisation_tenants = await self.app.dispatcher.homes(CHANNEL)
        except (SQLAlchemyError, OSError):
            return False
        return tenant in self._organisation_tenants

    async def language(self, identity: Identity | None) -> str:
        """The person's language; the last one seen when the store does not answer (a 'working on it' line must
        not wait for the store that is slow)."""
        if identity is None:
            return self.app.texts.default_language
        try:
            await self._registered_language(identity)
        except (SQLAlchemyError, OSError):
            pass
        return self.last_language(identity)

    async def _registered_language(self, identity: Identity) -> str | None:
        found = await self.app.dispatcher.language_of(identity)
        if found is not None:
            self._languages[identity.address] = found
        return found

    def last_language(self, identity: Identity | None) -> str:
        default = self.app.texts.default_language
        return self._languages.get(identity.address, default) if identity else default

    def _text(self, language: str, key: str, **params: object) -> str:
        return self.app.texts.text(language, key, **params)

    async def refusal(self, activity: Activity, identity: Identity | None) -> str | None:
        """The one line for an activity the bot does not serve, or None when it may go to the dispatcher."""
        if not await self.allowed(activity):
            return self._text(self.app.texts.default_language, "teams.not_allowed_tenant")
        if not is_personal(activity):
            return self._text(await self.language(identity), "teams.private_only")
        return None
