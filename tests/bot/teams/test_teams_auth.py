"""Production mode of the Teams endpoint: nothing without a valid Bot Framework token, and no way to start
without credentials or to run local mode where others can reach it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core.authorization.jwt.jwt_token_validator import _JwkClientManager
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


@pytest.fixture
def microsofts_key(monkeypatch: pytest.MonkeyPatch) -> rsa.RSAPrivateKey:
    """The two parts of a turn that need Microsoft's cloud, stood in for: a key of this test's signs tokens as the
    Bot Framework's and Entra's keys would (the SDK's key lookup answers with its public half), and the bot's own
    token for answering comes without asking Entra. The answer itself then goes nowhere (no route out of here)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = jwt.PyJWK.from_json(RSAAlgorithm.to_jwk(key.public_key()))

    async def lookup(self: object, jwks_uri: str, header: dict[str, object]) -> jwt.PyJWK:
        return public

    async def bots_own_token(self: object, *args: object, **kwargs: object) -> str:
        return "the-bots-token-from-entra"

    monkeypatch.setattr(_JwkClientManager, "get_signing_key", lookup)
    monkeypatch.setattr(MsalAuth, "get_access_token", bots_own_token)
    return key


OTHER_TENANT = "99999999-8888-7777-6666-555555555555"
# Production answers only on Microsoft's connector hosts, so the activities come from one.
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
BOT_FRAMEWORK = {"iss": "https://api.botframework.com", "serviceurl": SERVICE_URL}


async def posted_with(bot: TeamsBot, key: rsa.RSAPrivateKey, granted: dict[str, object]) -> tuple[int, int]:
    """The status of a message posted with a token of these claims, and how many messages the bot handled."""
    token = jwt.encode({k: v for k, v in granted.items() if v is not None}, key, algorithm="RS256")
    before = await handled(bot.app)
    activity = bot.activity("agent", "status", serviceUrl=SERVICE_URL)
    response = await bot.post(activity, {"Authorization": f"Bearer {token}"})
    return response.status, await handled(bot.app) - before


@pytest.mark.parametrize(
    "changed",
    [
        {"iss": f"https://sts.windows.net/{TENANT}/", "appid": "another-app-of-the-tenant", "tid": TENANT},
        {"iss": f"https://login.microsoftonline.com/{TENANT}/v2.0", "azp": "another-app", "tid": TENANT},
        {"iss": f"https://sts.windows.net/{OTHER_TENANT}/", "appid": "a-foreign-app", "tid": OTHER_TENANT},
        {"iss": "https://evil.example.org/"},
        {"serviceurl": "https://smba.trafficmanager.net/amer/"},
        {"serviceurl": None},
        {"aud": "00000000-0000-0000-0000-0000000000ff"},
    ],
    ids=[
        "another app",
        "another app v2",
        "another tenant",
        "any issuer",
        "other service url",
        "no service url",
        "other audience",
    ],
)
async def test_a_signed_token_not_from_the_bot_framework_for_this_activity_is_refused(
    production_bot: TeamsBot, microsofts_key: rsa.RSAPrivateKey, changed: dict[str, object]
) -> None:
    status, taken = await posted_with(
        production_bot, microsofts_key, {**claims(), **BOT_FRAMEWORK, **changed}
    )
    assert (status, taken) == (401, 0)


async def test_the_bot_frameworks_token_for_this_activity_is_let_through(
    production_bot: TeamsBot, microsofts_key: rsa.RSAPrivateKey
) -> None:
    as_written = {**BOT_FRAMEWORK, "serviceurl": "https://SMBA.trafficmanager.net/emea"}  # case, no slash
    status, taken = await posted_with(production_bot, microsofts_key, {**claims(), **as_written})
    assert status != 401 and taken == 1  # the message reached the bot
