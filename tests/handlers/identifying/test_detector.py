"""Identifying data typed into chat is recognised so it is never stored."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.identifying.detector import identifying_kinds, passes_eleven_test
from tests.handlers.identifying.sentences import TABLE

TODAY = date(2026, 11, 23)


def test_eleven_test_accepts_a_valid_bsn_and_rejects_a_near_miss() -> None:
    assert passes_eleven_test("111222333")
    assert not passes_eleven_test("111222334")


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("bsn is 111222333", ["bsn"]),
        ("nummer 1112.22.333", ["bsn"]),
        ("bel 06-12345678", ["phone"]),
        ("bel +31 6 12345678", ["phone"]),
        ("mail naar iemand@example.nl", ["email"]),
        ("woont op 3811 AB 12", ["address"]),
        ("geboren 12-03-1985", ["birth_date"]),
        ("overleg op 12-03-2026 gehad", []),
        ("hulpverlening stagneert, overlast neemt toe", []),
        ("dossiernummer 123456789", []),
    ],
)
def test_kinds_of_identifying_data_are_recognised(text: str, kinds: list[str]) -> None:
    assert identifying_kinds(text, TODAY) == kinds


@pytest.mark.parametrize(("text", "kinds"), TABLE)
def test_what_professionals_type_is_read_as_what_it_is(text: str, kinds: set[str]) -> None:
    assert set(identifying_kinds(text, TODAY)) == kinds


def test_the_table_is_large_and_has_both_sides() -> None:
    assert len(TABLE) >= 100
    assert sum(1 for _, kinds in TABLE if kinds) >= 40 and sum(1 for _, kinds in TABLE if not kinds) >= 40
