"""A store from before channel addresses had a table of their own: upgrading keeps everyone reachable."""

from __future__ import annotations

from sqlalchemy import inspect, text

from storage import migrate, people
from storage.crypto import Keyring, new_key_entry
from storage.db import create_engine, session_factory
from tests.storage.conftest import OldStore

ROWS = [
    "INSERT INTO organisations (id, name, type) VALUES (1, 'Politie', 'politie')",
    *(
        "INSERT INTO professionals (id, handle, name, organisation_id, role, matrix_id, teams_id, language, "
        f"active, created_at) VALUES ({values}, 'nl', true, '2026-01-01 10:00:00+00')"
        for values in (
            "1, 'jan', 'x', 1, 'melder', '@jan:example.org', '5f1c-aad-jan'",
            "2, 'piet', 'x', 1, 'melder', NULL, '5f1c-aad-piet'",
            "3, 'kees', 'x', 1, 'melder', NULL, NULL",
        )
    ),
]


async def test_upgrading_moves_every_matrix_and_teams_id_into_channel_addresses(store_at: OldStore) -> None:
    keyring = Keyring.from_environment(new_key_entry())
    engine = create_engine(*await store_at("0007", ROWS, keyring), keyring)
    await migrate.upgrade(engine)
    async with engine.connect() as connection:
        rows = (
            await connection.execute(text("SELECT professional_id, channel, address FROM channel_addresses"))
        ).all()
        columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("professionals")}
        )
    assert sorted(map(tuple, rows)) == [
        (1, "matrix", "@jan:example.org"),
        (1, "teams", "5f1c-aad-jan"),
        (2, "teams", "5f1c-aad-piet"),
    ]
    assert not {"matrix_id", "teams_id"} & columns
    async with session_factory(engine)() as session:
        by_matrix = await people.sender(session, "matrix", "@jan:example.org")
        by_teams = await people.sender(session, "teams", "5f1c-aad-piet")
        nobody = await people.sender(
            session, "teams", "@jan:example.org"
        )  # an address counts on its own channel
    assert by_matrix is not None and by_matrix.id == 1
    assert by_teams is not None and by_teams.id == 2
    assert nobody is None
    await engine.dispose()
