"""What reaches the Teams endpoint before the Agents SDK sees it: a token the SDK could not even read is a 401,
and a body that is not a Bot Framework activity is a 400. The SDK raises on both (a 500, with the request's
values in its error text); the log here names only the kind of error, never what the request held."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import jwt_authorization_decorator
from pydantic import ValidationError

log = logging.getLogger(__name__)
# The SDK logs each validation error with the values it refused (what someone typed) at ERROR; this module logs
# the kind of error instead.
logging.getLogger("microsoft_agents.activity.activity").setLevel(logging.CRITICAL)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_AUTHENTICATED = "vhbot.authenticated"


def authenticated(handler: Handler) -> Handler:
    """``handler`` behind the SDK's token check; any failure inside that check itself is a refusal."""

    async def reached(request: web.Request) -> web.StreamResponse:
        request[_AUTHENTICATED] = True
        return await handler(request)

    checked: Handler = jwt_authorization_decorator(reached)  # type: ignore[no-untyped-call]

    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await checked(request)
        except Exception as error:
            if request.get(_AUTHENTICATED):
                raise
            log.warning("Teams: a token was refused (%s)", type(error).__name__)
            return web.json_response({"error": "unauthorized"}, status=401)

    return guarded


def from_bot_framework(request: web.Request, activity: Activity, issuer: str) -> bool:
    """Whether the request's (already verified) token is the Bot Framework's for this very activity: issued by the
    Bot Framework itself, not by Entra for some app (the SDK also trusts Microsoft's first-party Entra issuers,
    which any app registration can obtain tokens from), and naming the service URL the activity would be answered
    on, so a token taken from one conversation cannot steer answers elsewhere. Microsoft's Teams SDK checks the
    same two claims."""
    identity = request.get("claims_identity")
    claims = getattr(identity, "claims", None) or {}
    service_url = claims.get("serviceurl")
    if claims.get("iss") != issuer or not isinstance(service_url, str):
        log.warning("Teams: a token not issued by the Bot Framework for this activity was refused")
        return False
    if _same_url(service_url, activity.service_url or ""):
        return True
    log.warning("Teams: a token for another service URL was refused")
    return False


def _same_url(first: str, second: str) -> bool:
    return first.rstrip("/").casefold() == second.rstrip("/").casefold()


async def activity_or_none(request: web.Request) -> Activity | None:
    """The activity in the body, or None (logged by the kind of problem) when the body is not one the bot can
    answer: not a JSON object, fields of the wrong type, or no conversation or service URL to answer on."""
    try:
        body = await request.json()
        activity = Activity.model_validate(body)
    except (json.JSONDecodeError, UnicodeDecodeError, ValidationError) as error:
        log.warning("Teams: a malformed activity was refused (%s)", type(error).__name__)
        return None
    if not activity.service_url or activity.conversation is None or not activity.conversation.id:
        log.warning("Teams: an activity without a conversation or service URL was refused")
        return None
    return activity
