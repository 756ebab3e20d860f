"""The one clock: the system's, or the system's shifted by an offset for the processes a test or a drill starts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import build_app
from config.settings import Settings
from handlers.dates.clock import SystemClock
from tests.conftest import NOW, RUNNING_CLOCK_ENV, TEST_KEYS


def test_a_shifted_clock_moves_with_real_time_from_where_it_was_put() -> None:
    offset = timedelta(days=-400, hours=3)
    before = datetime.now(UTC)
    shifted = SystemClock(offset=offset).now()
    after = datetime.now(UTC)
    assert before + offset <= shifted <= after + offset
    assert shifted.utcoffset() in (timedelta(hours=1), timedelta(hours=2))  # read in Amsterdam's zone


@pytest.mark.parametrize(
    ("written", "offset"),
    [("-P14D", timedelta(days=-14)), ("3600.5", timedelta(seconds=3600.5)), ("0", timedelta(0))],
)
def test_the_offset_is_read_from_the_environment_in_seconds_or_as_a_duration(
    monkeypatch: pytest.MonkeyPatch, written: str, offset: timedelta
) -> None:
    monkeypatch.setenv("VHBOT_CLOCK_OFFSET", written)
    assert Settings().clock_offset == offset


def test_an_app_built_with_the_tests_process_offset_reads_the_tests_moment(tmp_path: object) -> None:
    settings = Settings.model_validate(
        {
            "data_dir": tmp_path,
            "encryption_keys": TEST_KEYS,
            "clock_offset": RUNNING_CLOCK_ENV["VHBOT_CLOCK_OFFSET"],
        }
    )
    app = build_app(settings)
    assert NOW <= app.now() < NOW + timedelta(hours=2)  # this run began at NOW, whatever day it is
