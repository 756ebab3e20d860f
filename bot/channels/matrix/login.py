"""The bot's Matrix device: logged in once, restored at every start after that.

The device is created once and kept (user id, device id and access token in the store directory, next to nio's
crypto store): a fresh login would be a new device, and everything encrypted for the old one would become
unreadable.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from pathlib import Path

from nio import AsyncClient, AsyncClientConfig, ErrorResponse, LoginError, UploadResponse, WhoamiError

from bot.channels.matrix.connection import Introduction, KeepDirect, MatrixConnection
from bot.senders import TemporaryFailure
from config.settings import Settings

log = logging.getLogger(__name__)

CREDENTIALS = "credentials.json"
AVATAR_DIGEST = "avatar.sha256"  # which picture the account shows, so it is uploaded only when it changed


class MatrixSetupError(Exception):
    """A configuration that cannot work (refused login, no credentials): reported at start, not retried."""


def _client(settings: Settings, store: Path) -> AsyncClient:
    config = AsyncClientConfig(
        encryption_enabled=True,
        store_sync_tokens=False,  # the sync token lives in the case store, advanced only once handled
        max_limit_exceeded=0,  # 429s come back to us: the engine paces, the channel waits
        max_timeouts=0,  # network errors come back to us: the channel backs off and reconnects
        request_timeout=30,
    )
    assert settings.matrix_homeserver and settings.matrix_user_id
    return AsyncClient(
        settings.matrix_homeserver, settings.matrix_user_id, store_path=str(store), config=config
    )


def load_credentials(store: Path, settings: Settings) -> dict[str, str] | None:
    path = store / CREDENTIALS
    if not path.exists():
        return None
    saved: dict[str, str] = json.loads(path.read_text())
    if (
        saved.get("user_id") != settings.matrix_user_id
        or saved.get("homeserver") != settings.matrix_homeserver
    ):
        raise MatrixSetupError(
            f"{path} belongs to {saved.get('user_id')} on {saved.get('homeserver')}; "
            "use another VHBOT_MATRIX_STORE_DIR for another account"
        )
    return saved


def _save_credentials(store: Path, settings: Settings, device_id: str, access_token: str) -> None:
    path = store / CREDENTIALS
    data = {
        "homeserver": settings.matrix_homeserver,
        "user_id": settings.matrix_user_id,
        "device_id": device_id,
        "access_token": access_token,
    }
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        json.dump(data, handle)


async def _first_login(client: AsyncClient, settings: Settings) -> tuple[str, str]:
    """Device id and access token: from the configured token (asking the server whose device it is) or from
    one password login."""
    if settings.matrix_access_token is not None:
        client.access_token = settings.matrix_access_token.get_secret_value()
        whoami = await client.whoami()
        if isinstance(whoami, WhoamiError) or not whoami.device_id:
            raise MatrixSetupError(f"the Matrix access token was refused: {getattr(whoami, 'message', '')}")
        return whoami.device_id, client.access_token
    if settings.matrix_password is None:
        raise MatrixSetupError("set VHBOT_MATRIX_PASSWORD (first start only) or VHBOT_MATRIX_ACCESS_TOKEN")
    login = await client.login(settings.matrix_password.get_secret_value(), device_name="vhbot")
    if isinstance(login, LoginError):
        raise MatrixSetupError(f"Matrix login refused: {login.message}")
    return login.device_id, login.access_token


async def connect(
    settings: Settings, keep_direct: KeepDirect, display_name: str, introduction: Introduction, avatar: Path
) -> MatrixConnection:
    """Log in the first time, restore the same device afterwards; upload the device's keys once; make sure the
    account is shown under ``display_name`` (which says it is a chatbot) with ``avatar`` beside it; its chats
    say who runs it (``introduction``)."""
    store = settings.resolved_matrix_store_dir
    store.mkdir(parents=True, exist_ok=True, mode=0o700)
    client = _client(settings, store)
    try:
        saved = load_credentials(store, settings)
        assert settings.matrix_user_id
        if saved is None:
            device_id, token = await _first_login(client, settings)
            _save_credentials(store, settings, device_id, token)
            saved = {"device_id": device_id, "access_token": token}
        client.restore_login(settings.matrix_user_id, saved["device_id"], saved["access_token"])
        if client.should_upload_keys:
            uploaded = await client.keys_upload()
            if isinstance(uploaded, ErrorResponse):
                raise TemporaryFailure(f"key upload failed: {uploaded.status_code}")
        await _introduce(client, display_name)
        await _picture(client, avatar, store)
    except BaseException:
        await client.close()
        raise
    return MatrixConnection(client, settings, keep_direct, introduction)


async def _picture(client: AsyncClient, avatar: Path, store: Path) -> None:
    """The account's picture, uploaded when the file differs from the one set last (its digest is kept beside
    the device, so a start costs one small read); a homeserver that refuses leaves the old one, logged."""
    try:
        picture = avatar.read_bytes()
    except OSError as error:
        log.warning("matrix: the avatar %s cannot be read (%s)", avatar, error.strerror)
        return
    digest, kept = hashlib.sha256(picture).hexdigest(), store / AVATAR_DIGEST
    if kept.exists() and kept.read_text().strip() == digest:
        return
    uploaded, _ = await client.upload(
        lambda *_: io.BytesIO(picture), content_type="image/png", filename=avatar.name, filesize=len(picture)
    )
    changed = (
        await client.set_avatar(uploaded.content_uri) if isinstance(uploaded, UploadResponse) else uploaded
    )
    if isinstance(changed, ErrorResponse):
        log.warning("matrix: the avatar was not set (%s)", changed.status_code)
        return
    kept.write_text(digest)


async def _introduce(client: AsyncClient, display_name: str) -> None:
    """The account's display name, set when it differs (one request at a start, none after); a homeserver that
    refuses it leaves the old name, which is logged, not fatal."""
    current = await client.get_displayname(client.user_id)
    if getattr(current, "displayname", None) == display_name:
        return
    changed = await client.set_displayname(display_name)
    if isinstance(changed, ErrorResponse):
        log.warning("matrix: the display name was not set (%s)", changed.status_code)
