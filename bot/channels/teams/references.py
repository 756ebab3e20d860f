"""Each person's personal chat with the bot, as the reference Teams needs to write there first (a notice, a
reminder), kept in the case store so that any process can send; and the tenant of each, for Teams' per-tenant
rate limits."""

from __future__ import annotations

import logging
from copy import copy
from typing import Any

from microsoft_agents.activity import Activity
from sqlalchemy.exc import SQLAlchemyError

from bot.app import App
from bot.channels.teams.door import tenant_of
from bot.dispatcher import Identity
from storage import teams

log = logging.getLogger(__name__)


class PersonalChats:
    def __init__(self, app: App) -> None:
        self.app = app
        # Tenant per Teams user; filled from the store at start and by every turn.
        self.tenants: dict[str, str] = {}
        # What each kept reference was made of (see ``_parts``): comparing these is cheaper than making the
        # reference again for every message, which nearly always finds it unchanged.
        self._remembered: dict[str, tuple[object, ...]] = {}

    def kept(self, user_id: str) -> bool:
        """Whether this process has kept (or found kept) the person's reference since it started."""
        return user_id in self._remembered

    async def remember(self, activity: Activity, identity: Identity | None) -> None:
        """Keep a registered person's personal-chat reference, when it is new or changed (a write per message
        would be wasted); a store that does not answer just means it is kept next time."""
        if identity is None:
            return
        parts = _parts(activity)
        if self._remembered.get(identity.address) == parts:
            return  # kept already (whether the person may still talk to the bot is the dispatcher's question)
        reference = activity.get_conversation_reference().model_dump(
            mode="json", by_alias=True, exclude_none=True
        )
        for per_message in ("activityId", "requestId"):
            reference.pop(per_message, None)
        try:
            if await self.app.dispatcher.may_write_first(identity):
                await self._store(activity, identity.address, reference)
                self._remembered[identity.address] = parts
        except (SQLAlchemyError, OSError) as error:
            log.warning("Teams reference not kept: %s", type(error).__name__)

    async def _store(self, activity: Activity, user_id: str, reference: dict[str, Any]) -> None:
        tenant = tenant_of(activity)
        self.tenants[user_id] = tenant
        async with self.app.sessions() as session, session.begin():
            await teams.remember(session, user_id, tenant, reference, self.app.now())

    def forget(self, user_id: str) -> None:
        """The stored reference was marked unreachable: the next message from this person stores it again."""
        self._remembered.pop(user_id, None)

    async def gone(self, user_id: str) -> None:
        """Teams says the person removed the app, blocked the bot or left: nothing is sent there until they write
        or install it again."""
        async with self.app.sessions() as session, session.begin():
            await teams.mark_unreachable(session, user_id, self.app.now())
        self.forget(user_id)


def _parts(activity: Activity) -> tuple[object, ...]:
    """What an activity's conversation reference is made of (the SDK's ``get_conversation_reference``), less the
    message's own id; copies, so that nothing done to the activity later changes what was kept."""
    return (
        copy(activity.from_property),
        copy(activity.recipient),
        copy(activity.conversation),
        activity.channel_id,
        activity.service_url,
        activity.locale,
    )
