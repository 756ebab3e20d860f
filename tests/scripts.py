"""Answer scripts for the data-defined conversations, built from the config they drive.

A ZVH that reorders or rewords config/criteria.toml or config/referral.toml changes the order of the questions;
the scripts follow it, so only assertions about outcomes can break, never the tests' plumbing.
"""

from __future__ import annotations

from config.definitions import load_definitions

# Answers that make the check come out as "past waarschijnlijk", by question key (option keys, not numbers).
FITS = {
    "acuut": "nee",
    "huiselijk_geweld": "nee",
    "wvggz": "nee",
    "leefgebieden": "wonen, financien, psychisch",
    "afglijden": "ja",
    "ketens": "zorg, straf",
    "dwang_drang": "ja",
    "vastgelopen": "ja",
    "impact": "ja",
    "lokale_veiligheid": "nee",
    "geinformeerd": "nog niet",
}
# What the referral asks on top of the check's answers.
REFERRAL = {
    "gemeente": load_definitions().region.gemeenten[0],
    "subject_type": "persoon",
    "urgency": "normaal",
    "goal": "Hulpverlening stagneert en overlast neemt toe",
}


def check_script(answers: dict[str, str] = FITS) -> list[str]:
    """'check' and one answer per question, in the order the criteria ask them."""
    return ["check", *(answers[question.key] for question in load_definitions().criteria.questions)]


def referral_after_check(goal: str = REFERRAL["goal"], carried: dict[str, str] = FITS) -> list[str]:
    """The referral's remaining answers after the check's offer was accepted, and the final 'ja'."""
    answers = {**REFERRAL, "goal": goal}
    form = load_definitions().referral_form
    return [*(answers[question.key] for question in form if question.key not in carried), "ja"]
