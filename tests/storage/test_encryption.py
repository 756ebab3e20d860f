"""Encryption at rest: what the database holds is ciphertext, under the configured key, bound to its column;
a missing or wrong key stops the store from opening; a rotation re-encrypts everything while the bot works."""

from __future__ import annotations

import asyncio
import re
import stat
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.app import App, build_app
from config.settings import Settings
from handlers.dates.clock import FixedClock
from storage import keys
from storage.crypto import Keyring, StoreKeyError, new_key_entry, parse_keys
from tests.conftest import Chat, _truncate_postgres, load_demo_apart
from tests.seeding import decrypted_texts, seed_every_field

CIPHERTEXT = re.compile(r"^k[0-9a-f]{8}:[A-Za-z0-9+/=]+$")


async def raw_values(app: App) -> dict[str, list[str]]:
    """Every stored value of every encrypted column, as the database has it."""
    found: dict[str, list[str]] = {}
    async with app.engine.connect() as connection:
        for place in keys.encrypted_columns():
            values = (await connection.execute(select(place.raw().c[place.column.name]))).scalars().all()
            found[place.purpose] = [value for value in values if value is not None]
    return found


async def test_every_free_text_field_is_stored_encrypted_and_reads_back(chat: Chat) -> None:
    markers = await seed_every_field(chat, chat.app)
    stored = await raw_values(chat.app)
    for purpose in (
        "cases.goal",
        "actions.description",
        "feedback.body",
        "dialogues.data",
        "professionals.name",
    ):
        assert stored[purpose], f"the scenario wrote nothing into {purpose}"
    current = chat.app.keyring.current
    for purpose, values in stored.items():
        for value in values:
            assert CIPHERTEXT.match(value) and value.startswith(f"{current}:"), (purpose, value[:40])
            assert not any(marker in value for marker in markers.all())
    readable = await decrypted_texts(chat.app)
    assert all(marker in readable for marker in markers.all())


def test_a_value_only_decrypts_in_its_own_column() -> None:
    keyring = Keyring.from_environment(new_key_entry())
    sealed = keyring.encrypt("Huisbezoek afleggen", "actions.description")
    assert keyring.decrypt(sealed, "actions.description") == "Huisbezoek afleggen"
    with pytest.raises(StoreKeyError, match="wrong key"):
        keyring.decrypt(sealed, "cases.goal")


def test_key_entries_are_checked() -> None:
    with pytest.raises(StoreKeyError, match="entry 1"):
        parse_keys("k1:dG9vIHNob3J0", "VHBOT_ENCRYPTION_KEYS")
    entry = new_key_entry()
    assert list(parse_keys(f"# comment\n{entry}\n", "file")) == [entry.split(":")[0]]


def with_keys(settings: Settings, keys_: str | None = None) -> Settings:
    return settings.model_copy(update={"encryption_keys": SecretStr(keys_) if keys_ else None})


async def test_a_new_store_gets_a_private_key_file_and_opens_again_with_it(
    settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    key_file = tmp_path / "keys" / "vhbot.keys"
    own = await opened_with_key_file(settings, clock, key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    await _open(own, clock)


async def test_a_missing_or_wrong_key_stops_the_store_from_opening(
    settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    key_file = tmp_path / "vhbot.keys"
    own = await opened_with_key_file(settings, clock, key_file)
    (key_id, _) = key_file.read_text().strip().splitlines()[-1].split(":")

    key_file.rename(tmp_path / "elsewhere.keys")
    with pytest.raises(StoreKeyError, match="has no keys"):
        await _open(own, clock)
    with pytest.raises(StoreKeyError, match=f"encrypted with key {key_id}"):
        await _open(with_keys(own, new_key_entry()), clock)
    impostor = f"{key_id}:{new_key_entry().split(':')[1]}"
    with pytest.raises(StoreKeyError, match=f"key {key_id} .* is not the key"):
        await _open(with_keys(own, impostor), clock)
    assert not key_file.exists()  # a store with data never gets a fresh key by itself


async def own_key_file(settings: Settings, clock: FixedClock, key_file: Path) -> App:
    """An app on an emptied store that keeps its key in ``key_file`` (made at the first open)."""
    app = build_app(settings.model_copy(update={"encryption_keys": None, "key_file": key_file}), clock)
    if settings.database_schema:
        await _truncate_postgres(app)
    return app


async def opened_with_key_file(settings: Settings, clock: FixedClock, key_file: Path) -> Settings:
    """An emptied store opened once (which makes ``key_file``); the settings to open it again."""
    app = await own_key_file(settings, clock, key_file)
    await app.open()
    await app.close()
    return app.settings


async def _open(settings: Settings, clock: FixedClock) -> None:
    app = build_app(settings, clock)
    try:
        await app.open()
    finally:
        await app.close()


async def test_rotation_re_encrypts_everything_while_the_bot_keeps_working(
    settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    key_file = tmp_path / "vhbot.keys"
    app = await own_key_file(settings, clock, key_file)
    await app.open()
    await load_demo_apart(app, clock.now())
    chat = Chat(app)
    markers = await seed_every_field(chat, chat.app)
    old = app.keyring.current

    async def keep_talking() -> None:
        for _ in range(5):
            await chat("regisseur", "status")
            await chat("wijkteam", "acties")

    report, _ = await asyncio.gather(
        keys.rotate(app.engine, app.keyring, clock.now(), pause=0), keep_talking()
    )
    assert report.new_key != old and report.retired == [old] and report.re_encrypted > 10
    for purpose, values in (await raw_values(app)).items():
        assert all(value.startswith(f"{report.new_key}:") for value in values), purpose
    after_rotation = await decrypted_texts(app)
    assert all(marker in after_rotation for marker in markers.all())
    await app.close()

    # The old key may now leave the key file: nothing needs it.
    entries = key_file.read_text().splitlines()
    key_file.write_text("\n".join(line for line in entries if not line.startswith(f"{old}:")) + "\n")
    reopened = build_app(app.settings, clock)
    await reopened.open()
    assert await decrypted_texts(reopened) == after_rotation
    await reopened.close()
