"""A ZVH's own data outside the package (VHBOT_CONFIG_DIR, issue 40): its region, a line of the texts and its
first names replace the shipped ones, as installed and run by an operator; a file that does not read stops the
start with one line naming it; the shipped files serve where it has no copy."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from config.catalogue import load_catalogue
from config.definitions import load_definitions
from config.files import SHIPPED, ConfigError, use_site
from handlers.identifying.detector import scan

OWN_TITLE = "Dit kan de chatbot van ZVH Eemland (typ het woord):"


@pytest.fixture
def own(tmp_path: Path) -> Iterator[Path]:
    """A ZVH's directory: its own region (other gemeenten), one line of the Dutch texts, its first names."""
    directory = tmp_path / "zvh-eemland"
    (directory / "texts").mkdir(parents=True)
    region = (SHIPPED / "region.toml").read_text(encoding="utf-8")
    region = region.replace('chatbot_name = "ZVH Voorbeeldregio"', 'chatbot_name = "ZVH Eemland"')
    region = region.replace('"Amersfoort", "Baarn",', '"Amersfoort", "Nijkerk", "Baarn",')
    (directory / "region.toml").write_text(region, encoding="utf-8")
    (directory / "texts" / "nl.toml").write_text(f'[help]\ntitle = "{OWN_TITLE}"\n', encoding="utf-8")
    (directory / "first_names.txt").write_text("# ons eigen\nXandrien\n", encoding="utf-8")
    yield directory
    use_site(None)


def test_the_zvhs_own_files_are_read_and_the_shipped_ones_serve_the_rest(own: Path) -> None:
    typed = "Ik sprak Xandrien Bakker gisteren"
    assert not scan(typed, date.today()).kinds
    use_site(own)
    definitions = load_definitions()
    assert (
        "Nijkerk" in definitions.region.gemeenten
        and definitions.region.chatbot_name == "ZVH Eemland (Chatbot)"
    )
    assert definitions.criteria.questions  # no criteria.toml of its own: the shipped one
    texts = load_catalogue()
    assert texts.text("nl", "help.title") == OWN_TITLE
    assert texts.text("en", "help.title").startswith("What I can do")  # only the lines it wrote change
    assert texts.text("nl", "help.check").startswith("• check")
    assert scan(typed, date.today()).kinds == ["name"]  # its first names are known to the check
    use_site(None)
    assert "Nijkerk" not in load_definitions().region.gemeenten


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("region.toml", "name = ", "region.toml"),
        ("texts/nl.toml", '[help]\ntitel = "x"\n', "help.titel is not a line of the texts"),
        ("texts/nl.toml", '[case]\nnot_found = "Geen casus"\n', "must use the placeholders ['number']"),
    ],
)
def test_a_file_that_does_not_read_is_named_in_one_line(
    own: Path, name: str, content: str, said: str
) -> None:
    (own / name).write_text(content, encoding="utf-8")
    use_site(own)
    with pytest.raises(ConfigError, match=said.replace("[", r"\[").replace("]", r"\]")):
        load_catalogue()
        load_definitions()


def test_the_installed_bot_answers_with_the_zvhs_own_data_and_stops_on_a_bad_file(run, own: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("demo", config_dir=str(own)).returncode == 0
    answered = run("chat", "--as", "agent", stdin="help\n", config_dir=str(own))
    assert answered.returncode == 0 and OWN_TITLE in answered.stdout
    shutil.copy(SHIPPED / "process.toml", own / "process.toml")
    (own / "process.toml").write_text("close_reasons = []\nescalation_targets = []\n", encoding="utf-8")
    stopped = run("chat", "--as", "agent", stdin="help\n", config_dir=str(own))
    assert stopped.returncode == 2 and "Traceback" not in stopped.stderr
    assert stopped.stderr.strip().count("\n") == 0 and "process.toml" in stopped.stderr
    missing = run("chat", "--as", "agent", stdin="help\n", config_dir=str(own / "nowhere"))
    assert missing.returncode == 2 and "is not a directory" in missing.stderr
