"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.app import App
from storage.models import Base


async def test_the_migrated_schema_matches_the_models(app: App) -> None:
    async with app.engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
            )
        )
    assert differences == []


def test_the_head_read_from_the_file_names_is_alembics_head() -> None:
    """/readyz and doctor read the head without Alembic (it costs the serving process 7.5 MB)."""
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config
    from storage.revisions import head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
