"""The figures' chart on Matrix (issue 20), on the real homeserver: after the text, an image message whose file
was uploaded encrypted (the room is), which the ketenmanager's client downloads and decrypts to a PNG. Channel
behaviour: on SQLite only."""

from __future__ import annotations

import asyncio

import pytest
from nio import MatrixRoom, RoomEncryptedImage
from nio.crypto.attachments import decrypt_attachment

from bot.app import App
from bot.charts import PNG_SIGNATURE
from tests.bot.matrix.conftest import Meet, RunningBot

pytestmark = pytest.mark.parametrize("settings", ["sqlite"], indirect=True)


async def test_the_ketenmanager_gets_the_chart_as_an_encrypted_image(demo: App, meet: Meet) -> None:
    manager = await meet("manager")
    images: asyncio.Queue[RoomEncryptedImage] = asyncio.Queue()

    async def on_image(room: MatrixRoom, event: RoomEncryptedImage) -> None:
        await images.put(event)

    manager.client.add_event_callback(on_image, RoomEncryptedImage)
    bot = RunningBot(demo)
    await bot.start()
    try:
        room = await manager.open_direct_chat(bot.user_id)
        assert "Kengetallen van" in await manager.ask(room, "cijfers")
        image = await asyncio.wait_for(images.get(), 30)
    finally:
        await bot.stop()
    assert image.body.startswith("Grafiek: Aanmeldingen per maand")
    downloaded = await manager.client.download(image.url)
    body = getattr(downloaded, "body", b"")
    png = decrypt_attachment(body, image.key["k"], image.hashes["sha256"], image.iv)
    assert png.startswith(PNG_SIGNATURE)
    assert PNG_SIGNATURE not in body  # the homeserver holds only the encrypted file
