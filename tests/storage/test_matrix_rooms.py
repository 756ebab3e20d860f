"""The Matrix account's direct chats in the store, on both backends."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from handlers.dates.clock import FixedClock
from storage import matrix_rooms, retention
from tests.conftest import link_address


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


async def test_the_chats_of_people_without_an_account_go_with_the_purge(demo: App, clock: FixedClock) -> None:
    await link_address(demo, "agent", "matrix", "@agent:example.org")
    async with demo.sessions() as session, session.begin():
        chats = {"@agent:example.org": "!a", "@stranger:example.org": "!s"}
        await matrix_rooms.remember(session, "@bot:example.org", chats, clock.now())
    clock.advance(timedelta(hours=2))
    async with demo.sessions() as session, session.begin():
        await matrix_rooms.remember(session, "@bot:example.org", {"@newcomer:example.org": "!n"}, clock.now())
        done = await retention.purge(
            session,
            retention.Cutoffs.at(
                clock.now(), case_months=12, dialogue_minutes=60, inbound_days=7, audit_months=None
            ),
        )
    async with demo.sessions() as session:
        kept = await matrix_rooms.direct_rooms(session, "@bot:example.org")
    assert done.strangers_chats == 1
    assert kept == {"@agent:example.org": "!a", "@newcomer:example.org": "!n"}  # the newcomer may still ask
