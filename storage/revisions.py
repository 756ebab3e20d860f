"""The newest migration's revision, read from the migration files' names (0001_…, 0002_…) without importing
Alembic: the serving process asks it for /readyz, and Alembic's script machinery costs it 7.5 MB resident. A
test checks that it names the same head as Alembic does."""

from __future__ import annotations

from pathlib import Path

VERSIONS = Path(__file__).parent / "migrations" / "versions"


def head_revision() -> str:
    return max(path.name.split("_", 1)[0] for path in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
