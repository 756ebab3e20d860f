"""Answer scripts for the data-defined conversations, built from the config they drive.

A ZVH that reorders or rewords config/criteria.toml or config/referral.toml changes the order of the questions;
the scripts follow it, so only assertions about outcomes can break, never the tests' plumbing.
"""

from __future__ import annotations

from config.definitions import load_definitions
from handlers.check_rules import next_question

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


def check_answers(answers: dict[str, str] = FITS) -> list[tuple[str, str]]:
    """(question key, answer) for each question the check asks, in its order: it skips the ones whose answer
    can no longer change the outcome, by the same rule the conversation follows."""
    definitions = load_definitions()
    criteria, asked = definitions.criteria, []
    keys = [question.key for question in criteria.questions]
    given: dict[str, object] = {}
    question = next_question(criteria, definitions.region, given, 0)
    while question is not None:
        asked.append((question.key, answers[question.key]))
        given[question.key] = _stored(question.kind, answers[question.key])
        question = next_question(criteria, definitions.region, given, keys.index(question.key) + 1)
    return asked


def _stored(kind: str, typed: str) -> object:
    """The answer as the check keeps it (option keys; several for a multiple choice)."""
    return [part.strip() for part in typed.split(",")] if kind == "multi" else typed.replace(" ", "_")


def check_script(answers: dict[str, str] = FITS) -> list[str]:
    """'check' and the answer to each question it asks."""
    return ["check", *(answer for _, answer in check_answers(answers))]


def referral_after_check(
    goal: str = REFERRAL["goal"], carried: dict[str, str] = FITS, **changed: str
) -> list[str]:
    """The referral's remaining answers after the check's offer was accepted (``changed``: other answers than
    ``REFERRAL``'s), and the final 'ja'."""
    answers = {**REFERRAL, "goal": goal, **changed}
    form = load_definitions().referral_form
    return [*(answers[question.key] for question in form if question.key not in carried), "ja"]
