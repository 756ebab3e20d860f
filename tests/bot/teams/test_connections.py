"""The Bot Connector clients turns share: one per address and token, on one pool; a renewed token gets a new one and
the old one stays open until the turns still using it are done."""

from __future__ import annotations

import asyncio

import pytest
from microsoft_agents.hosting.core import ChannelServiceClientFactoryBase, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase, UserTokenClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from bot.channels.teams import connections
from bot.channels.teams.connections import PooledConnectorClients

FIRST, SECOND = "https://smba.example/emea/", "https://smba.example/amer/"


class TokenService(ChannelServiceClientFactoryBase):
    """The SDK's factory as far as the pool sees it: a new client per turn with the token of the moment (in
    production fetched from Microsoft's token service, which cannot be reached here)."""

    def __init__(self) -> None:
        self.token = "token-1"

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        return TeamsConnectorClient(service_url, self.token)

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClientBase:
        raise NotImplementedError


async def turn_client(clients: PooledConnectorClients, address: str) -> TeamsConnectorClient:
    made = await clients.create_connector_client(None, ClaimsIdentity(), address, "audience")
    assert isinstance(made, TeamsConnectorClient)
    await made.close()  # as the SDK does when the turn ends
    return made


async def test_turns_share_a_client_per_address_and_token_and_a_renewed_token_retires_the_old_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connections, "RETIRE_AFTER_SECONDS", 0.05)
    tokens = TokenService()
    clients = PooledConnectorClients(tokens)
    first = await turn_client(clients, FIRST)
    assert await turn_client(clients, FIRST) is first and not first.client.closed
    other = await turn_client(clients, SECOND)
    assert other is not first
    tokens.token = "token-2"
    renewed = await turn_client(clients, FIRST)
    assert renewed is not first and renewed.client.headers["Authorization"] == "Bearer token-2"
    assert not first.client.closed  # a turn that began with the old token may still be answering
    await asyncio.sleep(0.2)
    assert first.client.closed
    await clients.close()
    assert renewed.client.closed and other.client.closed


async def test_closing_the_factory_closes_a_client_still_waiting_to_be_retired() -> None:
    tokens = TokenService()
    clients = PooledConnectorClients(tokens)
    first = await turn_client(clients, FIRST)
    tokens.token = "token-2"
    await turn_client(clients, FIRST)
    await clients.close()
    assert first.client.closed
