"""Answers to options are read by number, word, label or a prefix, in either language."""

from __future__ import annotations

from handlers.dialogue.choices import pick_many, pick_one
from handlers.dialogue.messages import Choice

DOMAINS = [
    Choice("wonen", "wonen"),
    Choice("financien", "financiën / schulden"),
    Choice("psychisch", "psychisch"),
]


def test_a_number_a_key_a_label_or_a_prefix_picks_an_option() -> None:
    assert pick_one("2", DOMAINS) == "financien"
    assert pick_one("Financien", DOMAINS) == "financien"
    assert pick_one("financiën / schulden", DOMAINS) == "financien"
    assert pick_one("psych", DOMAINS) == "psychisch"


def test_out_of_range_or_unknown_answers_pick_nothing() -> None:
    assert pick_one("4", DOMAINS) is None
    assert pick_one("0", DOMAINS) is None
    assert pick_one("iets anders", DOMAINS) is None


def test_several_answers_by_comma_and_or_spaces() -> None:
    assert pick_many("1, 3", DOMAINS) == ["wonen", "psychisch"]
    assert pick_many("1 3", DOMAINS) == ["wonen", "psychisch"]
    assert pick_many("wonen en psychisch", DOMAINS) == ["wonen", "psychisch"]
    assert pick_many("1, 9", DOMAINS) is None
