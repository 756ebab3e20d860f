"""Every text a person can read exists in Dutch and in English."""

from __future__ import annotations

import re
from pathlib import Path

from config.catalogue import load_catalogue
from config.definitions import load_definitions
from storage.models import CaseState

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue()
LITERAL_KEY = re.compile(r"""(?:\bt|\bsay|\.t)\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def test_dutch_and_english_have_the_same_keys() -> None:
    assert CATALOGUE.keys("nl") == CATALOGUE.keys("en")


def test_every_literal_key_in_the_code_exists() -> None:
    used = {
        key
        for folder in ("handlers", "bot")
        for path in (ROOT / folder).rglob("*.py")
        for key in LITERAL_KEY.findall(path.read_text())
    }
    assert len(used) > 100
    assert sorted(used - CATALOGUE.keys("nl")) == []


def test_every_configured_question_option_and_state_has_text() -> None:
    definitions = load_definitions()
    keys = CATALOGUE.keys("nl")
    for question in definitions.criteria.questions:
        assert f"check.q.{question.key}" in keys
        assert all(f"option.{question.key}.{option}" in keys for option in question.options)
    for question in definitions.referral_form:
        assert f"referral.q.{question.key}" in keys and f"referral.label.{question.key}" in keys
    for name in definitions.criteria.facts:
        assert {f"check.fact.{name}.{v}" for v in ("true", "false", "unknown")} <= keys
    assert all(f"state.{state.value}" in keys for state in CaseState)
    assert all(f"check.contact.{contact}" in keys for contact in definitions.region.contacts)


def test_counted_texts_have_real_plurals_and_none_says_actie_s() -> None:
    for language in ("nl", "en"):
        toml = (ROOT / "config" / "texts" / f"{language}.toml").read_text()
        assert not re.search(r"\w\((s|en|n)\)", toml), f"{language}: write both forms instead of '(s)'"
    assert CATALOGUE.text("nl", "plan.summary", count=1) == "Plan van aanpak met 1 actie:"
    assert CATALOGUE.text("nl", "plan.summary", count=2) == "Plan van aanpak met 2 acties:"
    assert CATALOGUE.text("en", "updates.marked", count=1) == "1 update marked as read."


def test_every_option_of_the_check_and_the_referral_has_other_words_in_both_languages() -> None:
    """People name options in their own words ('schulden', 'GGZ'): each option has synonyms in each catalogue
    (the region's municipalities excepted: they are names)."""
    definitions = load_definitions()
    texts = load_catalogue()
    questions = [*definitions.criteria.questions, *definitions.referral_form]
    for question in questions:
        if question.key == "gemeente":
            continue
        for option in question.options:
            for language in texts.languages:
                assert texts.words(language, f"synonyms.{option}"), (language, question.key, option)


def test_nothing_a_professional_reads_names_an_operator_command() -> None:
    """'vhbot outbox', 'vhbot users set': commands of whoever runs the bot, not of whoever chats with it."""
    for language in ("nl", "en"):
        toml = (ROOT / "config" / "texts" / f"{language}.toml").read_text()
        assert re.findall(r"['(]vhbot [a-z]+", toml) == [], language
