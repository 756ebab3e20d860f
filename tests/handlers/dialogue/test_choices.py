"""Answers to options are read by number, word, label, part of a label, synonym or a prefix, in either language;
several at once by commas, 'en' or spaces; a small typo only where it is said back; what matched nothing is
named."""

from __future__ import annotations

from config.catalogue import load_catalogue
from handlers.dialogue.choices import close_one, pick_many, pick_one
from handlers.dialogue.messages import Choice
from tests.conftest import Chat

DOMAINS = [
    Choice("wonen", "wonen"),
    Choice("financien", "financiën / schulden"),
    Choice("psychisch", "psychisch"),
    Choice("verslaving", "verslaving"),
    Choice("veiligheid", "veiligheid / justitie"),
]
CHAINS = [Choice("zorg", "zorg"), Choice("straf", "straf"), Choice("bestuur", "bestuur")]
SYNONYMS = load_catalogue().synonyms()


def test_a_number_a_key_a_label_or_a_prefix_picks_an_option() -> None:
    assert pick_one("2", DOMAINS) == "financien"
    assert pick_one("Financien", DOMAINS) == "financien"
    assert pick_one("financiën / schulden", DOMAINS) == "financien"
    assert pick_one("psych", DOMAINS) == "psychisch"


def test_a_part_of_a_label_or_a_synonym_picks_an_option() -> None:
    assert pick_one("schulden", DOMAINS) == "financien"
    assert pick_one("Justitie", DOMAINS) == "veiligheid"
    assert pick_one("geld", DOMAINS, SYNONYMS) == "financien"
    assert pick_one("GGZ", DOMAINS, SYNONYMS) == "psychisch"
    assert pick_one("drugs", DOMAINS, SYNONYMS) == "verslaving"
    assert pick_one("justitie", CHAINS, SYNONYMS) == "straf"  # the same word, the option this question has
    assert pick_one("gemeente", CHAINS, SYNONYMS) == "bestuur"
    assert pick_one("debts", DOMAINS, SYNONYMS) == "financien"  # English words too


def test_out_of_range_or_unknown_answers_pick_nothing() -> None:
    assert pick_one("6", DOMAINS) is None
    assert pick_one("0", DOMAINS) is None
    assert pick_one("iets anders", DOMAINS, SYNONYMS) is None
    assert pick_one("verslavnig", DOMAINS, SYNONYMS) is None  # a typo is never matched silently


def test_a_small_typo_names_the_option_it_most_likely_meant() -> None:
    assert close_one("verslavnig", DOMAINS, SYNONYMS) == "verslaving"
    assert close_one("psygisch", DOMAINS, SYNONYMS) == "psychisch"
    assert close_one("schuldn", DOMAINS, SYNONYMS) == "financien"
    assert close_one("xyz", DOMAINS, SYNONYMS) is None
    assert close_one("iets heel anders", DOMAINS, SYNONYMS) is None


def test_several_answers_by_comma_and_or_spaces() -> None:
    assert pick_many("1, 3", DOMAINS).keys == ["wonen", "psychisch"]
    assert pick_many("1 3", DOMAINS).keys == ["wonen", "psychisch"]
    assert pick_many("wonen en psychisch", DOMAINS).keys == ["wonen", "psychisch"]
    assert pick_many("zorg straf", CHAINS).keys == ["zorg", "straf"]
    assert pick_many("zorg, straf", CHAINS).keys == ["zorg", "straf"]
    assert pick_many("zorg en justitie", CHAINS, SYNONYMS).keys == ["zorg", "straf"]
    assert pick_many("schulden, drugs", DOMAINS, SYNONYMS).keys == ["financien", "verslaving"]


def test_what_matched_nothing_is_named_and_a_typo_is_read_only_loosely() -> None:
    refused = pick_many("1, 9, iets", DOMAINS, SYNONYMS)
    assert refused.keys == ["wonen"] and refused.unknown == ["9", "iets"]
    assert pick_many("wonen, verslavnig", DOMAINS, SYNONYMS).unknown == ["verslavnig"]
    loose = pick_many("wonen, verslavnig", DOMAINS, SYNONYMS, loosely=True)
    assert loose.keys == ["wonen", "verslaving"] and loose.loosely == ["verslaving"] and not loose.unknown


def test_answers_separated_by_spaces_may_hold_a_typo_where_it_is_said_back() -> None:
    """'wonen psychsch veiligheid' was refused whole; now each word is an option, the typo read as one."""
    spaced = pick_many("wonen psychsch veiligheid", DOMAINS, SYNONYMS, loosely=True)
    assert spaced.keys == ["wonen", "psychisch", "veiligheid"] and spaced.loosely == ["psychisch"]
    assert not spaced.unknown
    assert pick_many("zorg strf", CHAINS, SYNONYMS, loosely=True).keys == [
        "zorg",
        "straf",
    ]  # another question
    assert pick_many("wonen psychsch", DOMAINS, SYNONYMS).unknown == ["wonen psychsch"]  # never silently


async def test_a_typo_is_asked_about_and_yes_takes_it_no_asks_again(chat: Chat) -> None:
    """'verslavnig' at the check's leefgebieden: 'Bedoelt u: …?'; yes goes on, no shows the options again."""
    from tests.scripts import check_script

    script = check_script()
    at_domains = next(i for i, answer in enumerate(script) if "psychisch" in answer or "wonen" in answer)
    asked = await chat("agent", *script[:at_domains], "wonen, verslavnig")
    assert "Bedoelt u: wonen, verslaving?" in asked
    assert "1." in await chat("agent", "nee")  # the options again, nothing taken
    assert "Bedoelt u: wonen, verslaving?" in await chat("agent", "wonen, verslavnig")
    assert "Bedoelt u" not in await chat("agent", "ja")  # taken: the check goes on
