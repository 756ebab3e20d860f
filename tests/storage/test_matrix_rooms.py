"""The Matrix account's direct chats in the store, on both backends."""

from __future__ import annotations

from bot.app import App
from storage import matrix_rooms


async def test_each_person_keeps_their_latest_direct_chat_per_bot_account(app: App) -> None:
    now = app.now()
    first = {f"@p{n}:example.org": f"!room{n}:example.org" for n in range(1200)}  # more than one slice
    async with app.sessions() as session, session.begin():
        await matrix_rooms.remember(session, "@bot:example.org", first, now)
        await matrix_rooms.remember(session, "@other-bot:example.org", {"@p1:example.org": "!elsewhere"}, now)
    async with app.sessions() as session, session.begin():
        await matrix_rooms.remember(session, "@bot:example.org", {"@p1:example.org": "!new:example.org"}, now)
    async with app.sessions() as session:
        kept = await matrix_rooms.direct_rooms(session, "@bot:example.org")
        other = await matrix_rooms.direct_rooms(session, "@other-bot:example.org")
    assert kept == {**first, "@p1:example.org": "!new:example.org"}
    assert other == {"@p1:example.org": "!elsewhere"}
