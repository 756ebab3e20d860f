"""The Matrix account's direct chats in the store, on both backends."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from handlers.dates.clock import FixedClock
from storage import matrix_rooms, retention
from storage.privacy import Terms
from tests.conftest import link_address, set_active


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
                clock.now(), terms=Terms(12, 12), dialogue_minutes=60, inbound_days=7, audit_months=None
            ),
        )
    async with demo.sessions() as session:
        kept = await matrix_rooms.direct_rooms(session, "@bot:example.org")
    assert done.strangers_chats == 1
    assert kept == {"@agent:example.org": "!a", "@newcomer:example.org": "!n"}  # the newcomer may still ask


async def test_the_chats_not_needed_are_a_disabled_persons_and_a_strangers_past_retention(
    demo: App, clock: FixedClock
) -> None:
    await link_address(demo, "agent", "matrix", "@agent:example.org")
    await link_address(demo, "regisseur", "matrix", "@regisseur:example.org")
    await set_active(demo, "agent", False)
    started = clock.now()
    async with demo.sessions() as session, session.begin():
        chats = {"@agent:example.org": "!a", "@regisseur:example.org": "!r", "@stranger:example.org": "!s"}
        await matrix_rooms.remember(session, "@bot:example.org", chats, started)
        await matrix_rooms.remember(session, "@other-bot:example.org", {"@agent:example.org": "!o"}, started)
    clock.advance(timedelta(hours=2))
    async with demo.sessions() as session, session.begin():
        await matrix_rooms.remember(session, "@bot:example.org", {"@newcomer:example.org": "!n"}, clock.now())
    cutoff = clock.now() - timedelta(hours=1)
    async with demo.sessions() as session:
        not_needed = await matrix_rooms.not_needed(session, "@bot:example.org", cutoff, 10)
        first = await matrix_rooms.not_needed(session, "@bot:example.org", cutoff, 1)
        before = await matrix_rooms.not_needed(session, "@bot:example.org", started, 10)
    assert not_needed == {"@agent:example.org": "!a", "@stranger:example.org": "!s"}
    assert first == {"@agent:example.org": "!a"}
    assert before == {"@agent:example.org": "!a"}  # the stranger's chat is not past retention at that cutoff

    async with demo.sessions() as session, session.begin():
        await matrix_rooms.forget(session, "@bot:example.org", "@agent:example.org", "!a")
        await matrix_rooms.forget(session, "@bot:example.org", "@stranger:example.org", "!elsewhere")
    async with demo.sessions() as session:
        kept = await matrix_rooms.direct_rooms(session, "@bot:example.org")
        other = await matrix_rooms.direct_rooms(session, "@other-bot:example.org")
    assert kept == {
        "@regisseur:example.org": "!r",
        "@stranger:example.org": "!s",
        "@newcomer:example.org": "!n",
    }
    assert other == {"@agent:example.org": "!o"}
