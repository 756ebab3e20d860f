"""No single row can stop delivery: a real ``vhbot serve`` process (recording channel, SQLite and PostgreSQL) meets
rows it cannot make a message of among rows it can. Each bad row fails alone with its reason (or, of a kind a newer
version wrote, waits for that version), the good ones go out once, and the process keeps serving."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.app import App, build_app
from bot.channels.recording import read_recording
from config.settings import Settings
from storage import outbox, people
from storage.models import OutboxStatus, PendingMessage
from tests.bot.test_delivery_processes import Servers, wait_until
from tests.conftest import _truncate_postgres, load_demo_apart, running_clock

FOREIGN_KEY_ID = "kforeign1"


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[App]:
    """The demo people on either backend, on the clock of the processes the test starts."""
    app = build_app(settings, running_clock())
    if settings.database_schema:
        await _truncate_postgres(app)
    await load_demo_apart(app, app.now())
    yield app
    await app.close()


@pytest.fixture
def servers(settings: Settings, tmp_path: Path) -> Iterator[Servers]:
    started = Servers(settings.database_schema, tmp_path / "delivered.jsonl", settings.resolved_database_url)
    yield started
    started.stop_all()


async def queue(app: App, handle: str, kind: str, params: dict[str, str | None], case: str | None) -> int:
    """A row due a moment ago for ``handle``; its id."""
    now = app.now()
    async with app.sessions() as session, session.begin():
        person = await people.professional_by_handle(session, handle)
        assert person is not None
        row = await outbox.enqueue(
            session,
            recipient_id=person.id,
            kind=kind,
            params=params,
            case_number=case,
            scheduled_at=now - timedelta(seconds=1),
            now=now,
        )
        await session.flush()
        return row.id


async def rows(app: App) -> dict[int, PendingMessage]:
    async with app.sessions() as session:
        return {row.id: row for row in await session.scalars(select(PendingMessage))}


async def test_rows_that_cannot_become_a_message_fail_alone_and_the_process_keeps_serving(
    store: App, servers: Servers
) -> None:
    good = [
        await queue(store, handle, "feedback", {"case": f"VH-2026-{n:04d}"}, f"VH-2026-{n:04d}")
        for n, handle in enumerate(("regisseur", "regisseur2", "agent"), start=3)
    ]
    newer = await queue(store, "regisseur", "kind_of_a_newer_version", {"case": None}, None)
    unformatted = await queue(store, "regisseur2", "feedback", {}, None)  # its text needs the case number
    unreadable = await queue(store, "ggz", "feedback", {"case": "VH-2026-0009"}, "VH-2026-0009")
    sealed = (
        f"{FOREIGN_KEY_ID}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"  # as if written with a key nobody has here
    )
    async with store.engine.begin() as connection:
        await connection.execute(
            text("UPDATE professionals SET name = :sealed WHERE handle = 'ggz'"), {"sealed": sealed}
        )

    process = servers.start()
    await servers.ready(process)

    async def settled() -> bool:
        found = await rows(store)
        return all(found[i].status is OutboxStatus.SENT for i in good) and all(
            found[i].status is OutboxStatus.FAILED for i in (unformatted, unreadable)
        )

    await wait_until(settled, 30)
    found = await rows(store)
    assert found[newer].status is OutboxStatus.PENDING and found[newer].attempts == 0  # left for its version
    assert found[newer].due_at > store.now() + timedelta(minutes=5)
    assert found[unformatted].last_error == "KeyError"
    assert FOREIGN_KEY_ID in str(found[unreadable].last_error)  # the key it needs, for the operator

    later = await queue(store, "agent", "feedback", {"case": "VH-2026-0011"}, "VH-2026-0011")

    async def later_sent() -> bool:
        return (await rows(store))[later].status is OutboxStatus.SENT

    await wait_until(later_sent, 30)
    assert process.poll() is None  # still serving
    sent = {found[i].idempotency_key for i in good} | {(await rows(store))[later].idempotency_key}
    delivered = Counter(record["key"] for record in read_recording(servers.recording, repeats=True))
    assert delivered == Counter(sent)  # each good row once; nothing of the bad ones
