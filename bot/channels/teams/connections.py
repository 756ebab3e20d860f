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
from microsoft_agents.hosting.core import ChannelServiceClientFactoryBase, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.authorization import AuthenticationConstants
from microsoft_agents.hosting.core.connector import ConnectorClientBase, UserTokenClient, UserTokenClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

TOKEN_SERVICE = (
    AuthenticationConstants.AGENTS_SDK_OAUTH_URL
)  # Microsoft's token service, as the SDK addresses it


class UnusedUserTokens(UserTokenClient):
    """The user-token client every turn shares: no token, one session on the shared pool, kept open when a turn
    ends (the SDK closes it after each turn; the pool's owner closes the pool)."""

    async def close(self) -> None:
        return None


class SharedConnectorClient(TeamsConnectorClient):
    """The Bot Connector client of every turn with one address and token. The SDK closes a turn's client when the
    turn ends; this one stays open for the next turn (the factory closes it when the token is renewed, or at
    shutdown)."""

    async def close(self) -> None:
        return None

    async def retire(self) -> None:
        await self.client.close()


# How long a client replaced by one with a renewed token stays open: turns still answering with it finish first.
RETIRE_AFTER_SECONDS = 120.0


class PooledConnectorClients(ChannelServiceClientFactoryBase):
    """The SDK's client factory (tokens, endpoints, client kinds), its Bot Connector clients moved onto one
    shared connection pool."""

    def __init__(self, factory: ChannelServiceClientFactoryBase) -> None:
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
        made = await self._factory.create_connector_client(
            context, claims_identity, service_url, audience, scopes, use_anonymous
        )
        if type(made) is not TeamsConnectorClient:
            return made  # another kind of client (e.g. Copilot Studio's) is left as the SDK makes it
        await made.close()  # its own session never opened a connection
        shared = self._shared.get(made.base_uri)
        if shared is not None and shared.client.headers == made.client.headers and not shared.client.closed:
            return shared
        session = ClientSession(
            base_url=made.base_uri,
            headers=made.client.headers,
            connector=self._connections(),
            connector_owner=False,
        )
        self._shared[made.base_uri] = SharedConnectorClient(made.base_uri, "", session=session)
        if shared is not None:
            self._retire_later(shared)
        return self._shared[made.base_uri]

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
