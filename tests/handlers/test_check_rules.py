"""The national criteria as configured: fits = (A ∧ B ∧ C) ∨ D, 'weet niet' makes it borderline."""

from __future__ import annotations

from typing import Any

import pytest

from config.definitions import load_definitions
from handlers.check_rules import assess, evaluate

DEFINITIONS = load_definitions()
FULL_FIT: dict[str, Any] = {
    "acuut": "nee", "huiselijk_geweld": "nee", "wvggz": "nee", "leefgebieden": ["wonen", "psychisch"],
    "afglijden": "ja", "ketens": ["zorg", "straf"], "dwang_drang": "ja", "vastgelopen": "ja", "impact": "ja",
    "lokale_veiligheid": "nee", "geinformeerd": "ja",
}  # fmt: skip


def outcome(**changes: Any) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    result = assess(DEFINITIONS.criteria, DEFINITIONS.region, {**FULL_FIT, **changes})
    return result.verdict, result.redirects, result.advice


def test_all_of_a_b_and_c_fits() -> None:
    assert outcome() == ("fits", (), ())


def test_serious_local_safety_problem_fits_on_its_own() -> None:
    assert (
        outcome(leefgebieden=["wonen"], ketens=["zorg"], dwang_drang="nee", lokale_veiligheid="ja")[0]
        == "fits"
    )


def test_a_dont_know_where_it_matters_is_borderline() -> None:
    assert outcome(dwang_drang="weet_niet")[0] == "borderline"


def test_a_and_c_with_only_part_of_b_is_borderline() -> None:
    assert outcome(vastgelopen="nee")[0] == "borderline"


def test_one_chain_goes_to_the_wijkteam() -> None:
    assert outcome(ketens=["zorg"], dwang_drang="nee", vastgelopen="nee") == ("redirect", ("wijkteam",), ())


def test_several_chains_without_coercion_go_to_the_regieteam() -> None:
    verdict, redirects, _ = outcome(afglijden="nee", dwang_drang="nee")
    assert (verdict, redirects) == ("redirect", ("regieteam",))


def test_domestic_violence_and_wvggz_answers_add_advice_whatever_the_outcome() -> None:
    assert outcome(huiselijk_geweld="vermoeden", wvggz="ja")[2] == ("veilig_thuis", "wvggz")


@pytest.mark.parametrize(
    ("rule", "facts", "expected"),
    [
        ({"all": ["a", "b"]}, {"a": True, "b": None}, None),
        ({"all": ["a", "b"]}, {"a": False, "b": None}, False),
        ({"any": ["a", "b"]}, {"a": True, "b": None}, True),
        ({"any": ["a", "b"]}, {"a": False, "b": None}, None),
        ({"not": "a"}, {"a": None}, None),
        ({"not": "a"}, {"a": True}, False),
    ],
)
def test_unknown_answers_follow_three_valued_logic(rule: Any, facts: dict[str, Any], expected: Any) -> None:
    assert evaluate(rule, facts) is expected
