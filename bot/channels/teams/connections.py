"""One pool of HTTP connections to the Bot Connector for all turns.

The Agents SDK makes a connector client (an aiohttp session with its own connections) for every turn and closes
it when the turn ends, so every answer opened a new connection: in production a TCP and TLS handshake with
Microsoft's service before each reply. Here the clients share one connection pool that outlives them, and turns
answered on the same address with the same token (the SDK's, cached until it is renewed) share one client: making
one per turn cost more than the rest of the SDK's part of the turn.

The SDK also makes a user-token client (for OAuth sign-in flows) for every turn: in production it first fetches a
token for Microsoft's token service, then opens a session of its own, and closes it after the turn. vhbot signs
nobody in through Teams, so every turn gets the same one, made once without a token; anything asking it for a
user token would be refused by the token service, never answered with someone else's.
"""

from __future__ import annotations

import asyncio

from aiohttp import ClientSession, TCPConnector
from microsoft_agents.activity import RoleTypes
from microsoft_agents.hosting.core import (
    ChannelServiceClientFactoryBase,
    ClaimsIdentity,
    Connections,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider, AuthenticationConstants
from microsoft_agents.hosting.core.connector import ConnectorClientBase, UserTokenClient, UserTokenClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

TOKEN_SERVICE = (
    AuthenticationConstants.AGENTS_SDK_OAUTH_URL
)  # Microsoft's token service, as the SDK addresses it
ANONYMOUS = AnonymousTokenProvider()  # local mode: the Playground and the tests' connector take no token


def _not_a_bot_connector_turn(context: TurnContext) -> bool:
    """An agentic identity's turn or Copilot Studio's connector: their clients are the SDK's business."""
    activity = context.activity
    recipient = activity.recipient
    return activity.is_agentic_request() or (
        recipient is not None and recipient.role == RoleTypes.connector_user
    )


class UnusedUserTokens(UserTokenClient):
    """The user-token client every turn shares: no token, one session on the shared pool, kept open when a turn
    ends (the SDK closes it after each turn; the pool's owner closes the pool)."""

    async def close(self) -> None:
        return None


class SharedConnectorClient(TeamsConnectorClient):
    """The Bot Connector client of every turn with one address and token. The SDK closes a turn's client when the
    turn ends; this one stays open for the next turn (the factory closes it when the token is renewed, or at
    shutdown)."""

    def __init__(self, endpoint: str, token: str, connections: TCPConnector) -> None:
        session = ClientSession(base_url=endpoint, connector=connections, connector_owner=False)
        super().__init__(endpoint, token, session=session)
        self.token = token

    async def close(self) -> None:
        return None

    async def retire(self) -> None:
        await self.client.close()


# How long a client replaced by one with a renewed token stays open: turns still answering with it finish first.
RETIRE_AFTER_SECONDS = 120.0


class PooledConnectorClients(ChannelServiceClientFactoryBase):
    """Bot Connector clients on one shared connection pool, one per address and token.

    The token comes from the SDK's token provider for the turn's claims (its connection manager decides which,
    and caches the token until it is renewed), as the SDK's own factory asks for it. The client is then not built
    by that factory: building one only to throw it away (a session, and the SDK version read from the installed
    packages' metadata for its User-Agent) cost more per turn than the rest of the SDK's part of the turn. Requests
    of other kinds (agentic identities, Copilot Studio's connector) get the SDK factory's client as it makes it."""

    def __init__(self, token_providers: Connections, factory: ChannelServiceClientFactoryBase) -> None:
        self._token_providers = token_providers  # the SDK's connection manager
        self._factory = factory
        self._pool: TCPConnector | None = None
        self._user_tokens: UnusedUserTokens | None = None
        self._shared: dict[str, SharedConnectorClient] = {}  # per address
        self._retiring: dict[asyncio.Task[None], SharedConnectorClient] = {}  # replaced, open a while longer

    def _connections(self) -> TCPConnector:
        """Made on first use, inside the running event loop (aiohttp's connectors belong to one loop)."""
        if self._pool is None or self._pool.closed:
            self._pool = TCPConnector()
        return self._pool

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        if not service_url or not audience or (context is not None and _not_a_bot_connector_turn(context)):
            return await self._factory.create_connector_client(
                context, claims_identity, service_url, audience, scopes, use_anonymous
            )
        provider = (
            ANONYMOUS
            if use_anonymous
            else self._token_providers.get_token_provider(claims_identity, service_url)
        )
        token = await provider.get_access_token(audience, scopes or claims_identity.get_token_scope())
        address = service_url if service_url.endswith("/") else f"{service_url}/"
        shared = self._shared.get(address)
        if shared is not None and shared.token == token and not shared.client.closed:
            return shared
        self._shared[address] = SharedConnectorClient(address, token, self._connections())
        if shared is not None:
            self._retire_later(shared)
        return self._shared[address]

    def _retire_later(self, client: SharedConnectorClient) -> None:
        async def retire() -> None:
            await asyncio.sleep(RETIRE_AFTER_SECONDS)
            await client.retire()

        task = asyncio.create_task(retire())
        self._retiring[task] = client
        task.add_done_callback(self._retiring.pop)

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClientBase:
        if self._user_tokens is None or self._user_tokens.client.closed:
            session = ClientSession(
                base_url=f"{TOKEN_SERVICE}/", connector=self._connections(), connector_owner=False
            )
            self._user_tokens = UnusedUserTokens(TOKEN_SERVICE, "", app_id="vhbot", session=session)
        return self._user_tokens

    async def close(self) -> None:
        for task in list(self._retiring):
            task.cancel()
        for client in [*self._shared.values(), *self._retiring.values()]:
            await client.retire()
        if self._user_tokens is not None:
            await self._user_tokens.client.close()
        if self._pool is not None:
            await self._pool.close()
