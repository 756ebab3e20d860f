"""One pool of HTTP connections to the Bot Connector for all turns.

The Agents SDK makes a connector client (an aiohttp session with its own connections) for every turn and closes
it when the turn ends, so every answer opened a new connection: in production a TCP and TLS handshake with
Microsoft's service before each reply. Here each turn still gets its own client, with the SDK's token in its
headers, but the clients share one connection pool that outlives them.
"""

from __future__ import annotations

from aiohttp import ClientSession, TCPConnector
from microsoft_agents.hosting.core import ChannelServiceClientFactoryBase, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase, UserTokenClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient


class PooledConnectorClients(ChannelServiceClientFactoryBase):
    """The SDK's client factory (tokens, endpoints, client kinds), its Bot Connector clients moved onto one
    shared connection pool."""

    def __init__(self, factory: ChannelServiceClientFactoryBase) -> None:
        self._factory = factory
        self._pool: TCPConnector | None = None

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
        return await self._factory.create_user_token_client(context, claims_identity, use_anonymous)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
