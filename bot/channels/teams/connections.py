"""One pool of HTTP connections to the Bot Connector for all turns.

The Agents SDK makes a connector client (an aiohttp session with its own connections) for every turn and closes
it when the turn ends, so every answer opened a new connection: in production a TCP and TLS handshake with
Microsoft's service before each reply. Here each turn still gets its own client, with the SDK's token in its
headers, but the clients share one connection pool that outlives them.

The SDK also makes a user-token client (for OAuth sign-in flows) for every turn: in production it first fetches a
token for Microsoft's token service, then opens a session of its own, and closes it after the turn. vhbot signs
nobody in through Teams, so every turn gets the same one, made once without a token; anything asking it for a
user token would be refused by the token service, never answered with someone else's.
"""

from __future__ import annotations

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


class PooledConnectorClients(ChannelServiceClientFactoryBase):
    """The SDK's client factory (tokens, endpoints, client kinds), its Bot Connector clients moved onto one
    shared connection pool."""

    def __init__(self, factory: ChannelServiceClientFactoryBase) -> None:
        self._factory = factory
        self._pool: TCPConnector | None = None
        self._user_tokens: UnusedUserTokens | None = None

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
        session = ClientSession(
            base_url=made.base_uri,
            headers=made.client.headers,
            connector=self._connections(),
            connector_owner=False,
        )
        await made.close()  # its own session never opened a connection
        return TeamsConnectorClient(made.base_uri, "", session=session)

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
        if self._user_tokens is not None:
            await self._user_tokens.client.close()
        if self._pool is not None:
            await self._pool.close()
