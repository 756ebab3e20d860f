"""Settings come from VHBOT_* variables and an optional TOML file; the environment wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import Settings


def test_toml_file_sets_values_and_environment_overrides_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "vhbot.toml"
    file.write_text('case_number_prefix = "ZVH"\ndialogue_timeout_minutes = 30\n')
    monkeypatch.setenv("VHBOT_CONFIG_FILE", str(file))
    monkeypatch.setenv("VHBOT_DIALOGUE_TIMEOUT_MINUTES", "45")
    settings = Settings()
    assert settings.case_number_prefix == "ZVH"
    assert settings.dialogue_timeout_minutes == 45


def test_default_store_is_an_sqlite_file_in_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VHBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("VHBOT_DATA_DIR", str(tmp_path))
    assert Settings().resolved_database_url == f"sqlite+aiosqlite:///{tmp_path / 'vhbot.sqlite3'}"
