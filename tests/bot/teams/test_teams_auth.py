"""Production mode of the Teams endpoint: nothing without a valid Bot Framework token, and no way to start
without credentials or to run local mode where others can reach it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import jwt
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App, build_app
from bot.channels.teams.adapter import TeamsSetupError, auth_configuration
from config.settings import Settings
from handlers.dates.clock import FixedClock
from storage.models import InboundMessage
from tests.bot.teams.conftest import TENANT, TeamsBot
from tests.bot.teams.connector import FakeConnector, free_port

APP_ID = "00000000-0000-0000-0000-00000000abcd"


@pytest.fixture
def production(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "teams_local": False,
            "teams_app_id": APP_ID,
            "teams_tenant_id": TENANT,
            "teams_client_secret": SecretStr("not-a-real-secret"),
            "http_port": free_port(),
        }
    )


@pytest.fixture
async def production_bot(
    production: Settings, clock: FixedClock, connector: FakeConnector
) -> AsyncIterator[TeamsBot]:
    app = build_app(production, clock)
    running = TeamsBot(app, connector)
    await running.start()
    yield running
    await running.stop()
    await app.close()


def claims() -> dict[str, object]:
    now = int(time.time())
    return {"iss": "https://api.botframework.com", "aud": APP_ID, "iat": now, "nbf": now, "exp": now + 3600}


def forged_token() -> str:
    """Looks like a Bot Framework token (issuer, audience, expiry) but is signed by us, not by Microsoft."""
    return jwt.encode(claims(), "a" * 32, algorithm="HS256", headers={"kid": "forged"})


def keyless_token(algorithm: str) -> str:
    """A token that names no signing key at all (``alg: none``, or a shared secret)."""
    return jwt.encode(claims(), "" if algorithm == "none" else "a" * 32, algorithm=algorithm)


async def handled(app: App) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count(InboundMessage.id))) or 0)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": f"Bearer {forged_token()}"},
        {"Authorization": f"Bearer {keyless_token('none')}"},
        {"Authorization": f"Bearer {keyless_token('HS256')}"},
    ],
    ids=["no token", "garbage", "forged", "alg none", "no kid"],
)
async def test_without_a_valid_token_nothing_is_handled(
    production_bot: TeamsBot, headers: dict[str, str]
) -> None:
    before = await handled(production_bot.app)  # the PostgreSQL schema is shared by the session's tests
    response = await production_bot.post(production_bot.activity("agent", "status"), headers)
    assert response.status == 401
    assert production_bot.connector.posted == []
    assert await handled(production_bot.app) == before


def test_production_needs_credentials(production: Settings) -> None:
    auth_configuration(production)  # complete: accepted
    for missing in ({"teams_tenant_id": None}, {"teams_app_id": None}, {"teams_client_secret": None}):
        with pytest.raises(TeamsSetupError):
            auth_configuration(production.model_copy(update=missing))
    certificate = production.model_copy(update={"teams_auth_type": "certificate"})
    with pytest.raises(TeamsSetupError, match="CERTIFICATE_FILE"):
        auth_configuration(certificate)


def test_local_mode_only_on_loopback(settings: Settings) -> None:
    local = settings.model_copy(update={"teams_local": True})
    assert local.resolved_http_host == "127.0.0.1"
    assert auth_configuration(local).ANONYMOUS_ALLOWED
    for public in ("0.0.0.0", "::", "192.0.2.10"):
        with pytest.raises(TeamsSetupError, match="loopback"):
            auth_configuration(local.model_copy(update={"http_host": public}))
    assert not auth_configuration(
        local.model_copy(
            update={
                "teams_local": False,
                "teams_app_id": APP_ID,
                "teams_tenant_id": TENANT,
                "teams_client_secret": SecretStr("x"),
            }
        )
    ).ANONYMOUS_ALLOWED


def test_local_mode_refuses_to_start_with_production_credentials(settings: Settings) -> None:
    """Local mode runs without authentication: with an app's credentials it would be a production bot wide open."""
    local = settings.model_copy(update={"teams_local": True})
    for credential in (
        {"teams_app_id": APP_ID, "teams_tenant_id": TENANT, "teams_client_secret": SecretStr("x")},
        {"teams_client_secret": SecretStr("x")},
        {"teams_app_id": APP_ID},
    ):
        with pytest.raises(TeamsSetupError, match="production credentials"):
            auth_configuration(local.model_copy(update=credential))
