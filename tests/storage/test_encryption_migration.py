"""A store from before encryption at rest: upgrading encrypts what it holds, in place."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.crypto import Keyring, StoreKeyError, new_key_entry
from storage.db import create_engine, session_factory
from storage.models import Case, Dialogue, Professional
from tests.storage.conftest import OldStore, Store

PLAINTEXT_ROWS = [
    "INSERT INTO organisations (id, name, type) VALUES (1, 'Politie', 'politie')",
    (
        "INSERT INTO professionals (id, handle, name, organisation_id, role, language, active, created_at) "
        "VALUES (1, 'jan', 'Jan Jansen', 1, 'melder', 'nl', true, '2026-01-01 10:00:00+00')"
    ),
    (
        "INSERT INTO dialogues (id, professional_id, conversation, kind, step, data, updated_at) VALUES "
        """(1, 1, 'terminal', 'feedback', 'text', '{"text": "Concept loopt"}', '2026-01-01 10:00:00+00')"""
    ),
]


@pytest.fixture
async def old_store(store_at: OldStore) -> Store:
    """(url, schema) of a store migrated up to the revision before encryption, with plain values in it."""
    return await store_at("0004", PLAINTEXT_ROWS, None)


async def raw(engine: AsyncEngine, query: str) -> str:
    async with engine.connect() as connection:
        return str((await connection.execute(text(query))).scalar_one())


async def test_upgrading_encrypts_the_values_already_stored(old_store: tuple[str, str | None]) -> None:
    keyring = Keyring.from_environment(new_key_entry())
    engine = create_engine(*old_store, keyring)
    await migrate.upgrade(engine)
    assert (await raw(engine, "SELECT name FROM professionals")).startswith(f"{keyring.current}:")
    assert "Concept" not in await raw(engine, "SELECT data FROM dialogues")
    async with session_factory(engine)() as session:
        person = await session.get(Professional, 1)
        dialogue = await session.get(Dialogue, 1)
    assert person is not None and person.name == "Jan Jansen"
    assert dialogue is not None and dialogue.data == {"text": "Concept loopt"}
    await engine.dispose()


async def test_upgrading_without_a_key_changes_nothing(old_store: tuple[str, str | None]) -> None:
    engine = create_engine(*old_store)
    with pytest.raises(StoreKeyError):
        await migrate.upgrade(engine)
    assert await raw(engine, "SELECT name FROM professionals") == "Jan Jansen"
    assert await raw(engine, "SELECT version_num FROM alembic_version") == "0004"
    await engine.dispose()


async def test_upgrading_encrypts_a_cases_domains_and_the_checks_answers(store_at: OldStore) -> None:
    keyring = Keyring.from_environment(new_key_entry())
    goal = keyring.encrypt("Hulpverlening stagneert", "cases.goal")
    rows = [
        *PLAINTEXT_ROWS[:2],
        (
            "INSERT INTO cases (id, number, state, melder_id, gemeente, subject_type, leefgebieden, ketens, "
            "urgency, informed, goal, check_outcome, created_at, updated_at) VALUES (1, 'VH-2026-0001', "
            """'ingediend', 1, 'Amersfoort', 'gezin', '["psychisch", "verslaving"]', '["straf"]', 'normaal', """
            f"'nee_strafonderzoek', '{goal}', 'fits', '2026-01-01 10:00:00+00', '2026-01-01 10:00:00+00')"
        ),
    ]
    engine = create_engine(*await store_at("0011", rows, keyring), keyring)
    await migrate.upgrade(engine)
    stored = await raw(engine, "SELECT leefgebieden || ketens || informed || check_outcome FROM cases")
    for plain in ("psychisch", "verslaving", "straf", "nee_strafonderzoek", "fits"):
        assert plain not in stored
    async with session_factory(engine)() as session:
        case = await session.get(Case, 1)
    assert case is not None
    assert (case.leefgebieden, case.ketens, case.informed, case.check_outcome) == (
        ["psychisch", "verslaving"],
        ["straf"],
        "nee_strafonderzoek",
        "fits",
    )
    await engine.dispose()
