"""The Bot Connector clients turns share: one per address and token, on one pool; a renewed token gets a new one and
the old one stays open until the turns still using it are done."""

from __future__ import annotations

import asyncio

import pytest
from microsoft_agents.activity import Activity, RoleTypes
from microsoft_agents.hosting.core import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ChannelServiceAdapter,
    ClaimsIdentity,
    Connections,
    RestChannelServiceClientFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.connector.mcs import MCSConnectorClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from bot.channels.teams import connections
from bot.channels.teams.connections import PooledConnectorClients, SharedConnectorClient

FIRST, SECOND = "https://smba.example/emea/", "https://smba.example/amer/"


class TokenService(AnonymousTokenProvider):
    """Microsoft's token service as the pool sees it through the SDK's connection manager: the token of the moment
    (cached until it is renewed), for the audience and scopes asked (it cannot be reached from here)."""

    def __init__(self) -> None:
        self.token = "token-1"
        self.asked: list[tuple[str, list[str]]] = []

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        self.asked.append((resource_url, scopes))
        return self.token


class OneConnection(Connections):
    """The SDK's connection manager with one connection (production has one: SERVICE_CONNECTION)."""

    def __init__(self, provider: AccessTokenProviderBase) -> None:
        self.provider = provider

    def get_connection(self, connection_name: str) -> AccessTokenProviderBase:
        return self.provider

    def get_default_connection(self) -> AccessTokenProviderBase:
        return self.provider

    def get_token_provider(
        self, claims_identity: ClaimsIdentity, service_url: str
    ) -> AccessTokenProviderBase:
        return self.provider

    def get_token_provider_from_activity(
        self, claims_identity: ClaimsIdentity, activity: Activity
    ) -> AccessTokenProviderBase:
        return self.provider

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        return AgentAuthConfiguration()


def pooled(tokens: TokenService) -> PooledConnectorClients:
    connections = OneConnection(tokens)
    return PooledConnectorClients(connections, RestChannelServiceClientFactory(connections))


async def turn_client(clients: PooledConnectorClients, address: str) -> TeamsConnectorClient:
    made = await clients.create_connector_client(
        None, ClaimsIdentity({}, "Bearer"), address, "audience", ["scope"]
    )
    assert isinstance(made, TeamsConnectorClient)
    await made.close()  # as the SDK does when the turn ends
    return made


async def test_turns_share_a_client_per_address_and_token_and_a_renewed_token_retires_the_old_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(connections, "RETIRE_AFTER_SECONDS", 0.05)
    tokens = TokenService()
    clients = pooled(tokens)
    first = await turn_client(clients, FIRST)
    assert first.client.headers["Authorization"] == "Bearer token-1" and tokens.asked == [
        ("audience", ["scope"])
    ]
    assert first.base_uri == FIRST and first.client.headers["Accept"] == "application/json"
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
    clients = pooled(tokens)
    first = await turn_client(clients, FIRST)
    tokens.token = "token-2"
    await turn_client(clients, FIRST)
    await clients.close()
    assert first.client.closed


async def test_a_local_turn_gets_a_client_without_a_token_and_the_token_service_is_not_asked() -> None:
    tokens = TokenService()
    clients = pooled(tokens)
    made = await clients.create_connector_client(
        None, ClaimsIdentity(), "http://127.0.0.1:3978", "audience", use_anonymous=True
    )
    assert isinstance(made, SharedConnectorClient) and made.base_uri == "http://127.0.0.1:3978/"
    assert "Authorization" not in made.client.headers and tokens.asked == []
    await clients.close()


async def test_a_copilot_studio_connector_turn_gets_the_sdks_own_client() -> None:
    clients = pooled(TokenService())
    activity = Activity.model_validate(
        {
            "type": "message",
            "channelId": "msteams",
            "recipient": {"id": "bot", "role": RoleTypes.connector_user},
            "conversation": {"id": "conversation"},
            "serviceUrl": FIRST,
        }
    )
    context = TurnContext(ChannelServiceAdapter(clients), activity)
    made = await clients.create_connector_client(context, ClaimsIdentity({}, "Bearer"), FIRST, "audience")
    assert isinstance(made, MCSConnectorClient)
    await made.close()  # type: ignore[no-untyped-call]  # the SDK leaves it unannotated
    await clients.close()
