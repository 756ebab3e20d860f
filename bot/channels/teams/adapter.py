"""The Agents SDK's adapter and the endpoint's authentication, built from our settings.

Production is the default and cannot be reached by accident without credentials: with no app id the channel
refuses to start unless local mode is switched on, and local mode (no tokens at all, for the Agents Playground)
refuses any bind address but loopback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast

from aiohttp import web
from microsoft_agents.activity import Activity
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    Agent,
    AgentAuthConfiguration,
    OutboundHostValidator,
    RestChannelServiceClientFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AuthTypes

from bot.channels.teams.connections import PooledConnectorClients
from bot.loopback import is_loopback
from config.settings import Settings

log = logging.getLogger(__name__)

SERVICE_CONNECTION = "SERVICE_CONNECTION"
_AUTH_TYPES = {
    "client_secret": AuthTypes.client_secret,
    "certificate": AuthTypes.certificate,
    "user_managed_identity": AuthTypes.user_managed_identity,
    "system_managed_identity": AuthTypes.system_managed_identity,
}


class TeamsSetupError(Exception):
    """The Teams settings do not allow a safe start; the message says what to set."""


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """Bot Framework token validation (production) or anonymous access (local mode, loopback only)."""
    if settings.teams_local:
        production = [
            name
            for name, value in (
                ("VHBOT_TEAMS_APP_ID", settings.teams_app_id),
                ("VHBOT_TEAMS_TENANT_ID", settings.teams_tenant_id),
                ("VHBOT_TEAMS_CLIENT_SECRET", settings.teams_client_secret),
                ("VHBOT_TEAMS_CERTIFICATE_FILE", settings.teams_certificate_file),
            )
            if value
        ]
        if (
            production
        ):  # a production installation switched to local mode by mistake would run unauthenticated
            raise TeamsSetupError(
                f"VHBOT_TEAMS_LOCAL accepts messages without authentication and cannot run with production "
                f"credentials; unset VHBOT_TEAMS_LOCAL or {', '.join(production)}"
            )
        if not is_loopback(settings.resolved_http_host):
            raise TeamsSetupError(
                f"VHBOT_TEAMS_LOCAL accepts messages without authentication, so it only binds to loopback; "
                f"VHBOT_HTTP_HOST={settings.resolved_http_host} is not"
            )
        return AgentAuthConfiguration(anonymous_allowed=True)
    if not settings.teams_app_id or not settings.teams_tenant_id:
        raise TeamsSetupError(
            "Teams needs VHBOT_TEAMS_APP_ID and VHBOT_TEAMS_TENANT_ID (and a secret, certificate or managed "
            "identity); for the Agents Playground set VHBOT_TEAMS_LOCAL=true instead"
        )
    auth_type = _AUTH_TYPES[settings.teams_auth_type]
    secret = settings.teams_client_secret.get_secret_value() if settings.teams_client_secret else None
    if auth_type is AuthTypes.client_secret and not secret:
        raise TeamsSetupError("VHBOT_TEAMS_AUTH_TYPE=client_secret needs VHBOT_TEAMS_CLIENT_SECRET")
    if auth_type is AuthTypes.certificate and not settings.teams_certificate_file:
        raise TeamsSetupError("VHBOT_TEAMS_AUTH_TYPE=certificate needs VHBOT_TEAMS_CERTIFICATE_FILE")
    return AgentAuthConfiguration(
        auth_type=auth_type,
        client_id=settings.teams_app_id,
        tenant_id=settings.teams_tenant_id,
        client_secret=secret,
        cert_pfx_file=str(settings.teams_certificate_file) if settings.teams_certificate_file else None,
        anonymous_allowed=False,
        # Off by default in the SDK: without it a token from any app in the tenant, or any issuer whose keys the
        # SDK fetched, would do. The guard (bot/channels/teams/guard.py) then pins the Bot Framework's issuer.
        issuers=[settings.teams_token_issuer],
        validate_issuer=True,
    )


async def _raise_turn_error(context: TurnContext, error: Exception) -> None:
    """The SDK's default shows the exception text to the person; ours lets it reach our own code (which answers
    politely) and the log, by type only: the text may hold message content."""
    log.warning("Teams turn failed: %s", type(error).__name__)
    raise error


class ParsedRequest:
    """The request as the SDK reads it, with the activity the endpoint already parsed and checked as its body.

    The SDK validates the body into an activity again; given an activity, pydantic hands back the same object
    without validating it twice. Parsing and validating a body was a noticeable part of a turn, done twice."""

    def __init__(self, request: web.Request, activity: Activity) -> None:
        self._request = request
        self._activity = activity

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def headers(self) -> Mapping[str, str]:
        return self._request.headers

    async def json(self) -> dict[str, Any]:
        return cast(dict[str, Any], self._activity)  # what the SDK validates it into already

    def get_claims_identity(self) -> Any:
        return self._request.get("claims_identity")

    def get_path_param(self, name: str) -> str:
        return self._request.match_info[name]


class ParsedOnceAdapter(CloudAdapter):
    """The SDK's aiohttp adapter, taking the activity the endpoint parsed instead of parsing the body again."""

    async def process_parsed(self, request: web.Request, activity: Activity, agent: Agent) -> web.Response:
        return self._to_aiohttp_response(await self.process_request(ParsedRequest(request, activity), agent))


def build_adapter(
    settings: Settings, configuration: AgentAuthConfiguration
) -> tuple[ParsedOnceAdapter, PooledConnectorClients]:
    """In production outbound calls go only to Microsoft's hosts (a forged serviceUrl cannot make the bot post
    elsewhere); local mode talks to the Playground or a test connector on loopback. The clients' connection pool
    is the caller's to close."""
    connections = MsalConnectionManager(connections_configurations={SERVICE_CONNECTION: configuration})
    clients = PooledConnectorClients(connections, RestChannelServiceClientFactory(connections))
    adapter = ParsedOnceAdapter(
        connection_manager=connections,
        channel_service_client_factory=clients,
        host_validator=OutboundHostValidator(enabled=not settings.teams_local),
    )
    adapter.on_turn_error = _raise_turn_error
    return adapter, clients
