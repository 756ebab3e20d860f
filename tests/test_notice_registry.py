"""Every notice is declared, registered and has texts that fit its references (issue 39).

A kind missing from the registry would wait for ever in the outbox as if a newer version had written it; a text
asking for a placeholder its kind does not carry would fail when sent; a reference that is a name would put a
name in clear in the outbox. Each is found here instead of in production.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
from dataclasses import fields, is_dataclass
from typing import Any

import pytest

import bot
import handlers
from config.catalogue import load_catalogue
from handlers.all_notices import DECLARED, NOTICES
from handlers.notice_kind import ACTION, NoticeKind, OfAction

LANGUAGES = ("nl", "en")
# Lines of the catalogue's [notice] section that are parts of a notice, not a kind of their own.
PARTS = {
    "action_line",
    "action_due",
    "late",
    "digest",
    "digest_hint",
    "answer_hint",
    "stand_in_for",
    "stand_in_nothing",
    "stand_in_changed_title",
    "stand_in_changed",
    "stand_in_looked",
    "call",
}


def keys(kind: NoticeKind[Any]) -> list[str]:
    """The catalogue keys of a kind's texts: its own, and its urgent variant where it declares one."""
    return [f"notice.{kind}", *([f"notice.{kind}_urgent"] if kind.urgent else [])]


def declared_anywhere() -> set[NoticeKind[Any]]:
    """Every NoticeKind a module of handlers or bot holds, on its own or in a tuple."""
    found: set[NoticeKind[Any]] = set()
    for package in (handlers, bot):
        for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if module_info.name.endswith("__main__"):  # runs the command line when imported
                continue
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                values = value if isinstance(value, tuple) else (value,)
                found.update(item for item in values if isinstance(item, NoticeKind))
    return found


def test_every_kind_declared_anywhere_is_registered_once() -> None:
    assert len(NOTICES) == len({str(kind) for kind in NOTICES})
    assert declared_anywhere() <= set(NOTICES), declared_anywhere() - set(NOTICES)


@pytest.mark.parametrize("kind", NOTICES, ids=str)
def test_each_kind_has_texts_that_ask_only_for_what_it_carries(kind: NoticeKind[Any]) -> None:
    texts = load_catalogue()
    for language, key in itertools.product(LANGUAGES, keys(kind)):
        assert key in texts.keys(language), f"{key} has no {language} text"
        asked = texts.placeholders(language, key)
        assert asked <= kind.placeholders, f"{key} ({language}) asks for {asked - kind.placeholders}"
        filled = texts.text(language, key, **({"count": 2} | {name: "x" for name in kind.placeholders}))
        assert "{" not in filled


@pytest.mark.parametrize("kind", NOTICES, ids=str)
def test_each_kind_carries_references_only(kind: NoticeKind[Any]) -> None:
    assert is_dataclass(kind.references) and kind.references.__dataclass_params__.frozen  # type: ignore[attr-defined]
    for field in fields(kind.references):
        assert field.type in ("int", "str"), f"{kind}.{field.name}: {field.type}"
        assert field.name not in ("name", "text", "body", "description", "goal"), f"{kind}.{field.name}"


def test_every_notice_text_is_a_kind_or_a_part_of_one() -> None:
    texts = load_catalogue()
    for language in LANGUAGES:
        written = {key for key in texts.keys(language) if key.startswith("notice.")}
        assert written - {f"notice.{part}" for part in PARTS} == {
            key for kind in NOTICES for key in keys(kind)
        }


@pytest.mark.parametrize("kind", NOTICES, ids=str)
def test_what_a_kind_is_about_fits_what_it_carries(kind: NoticeKind[Any]) -> None:
    """A notice sent only while its action is open must say which action; one with a second line says what."""
    if kind.about == ACTION:
        assert issubclass(kind.references, OfAction), kind
    if kind.line is not None:
        assert kind.about == ACTION and kind.line in {"notice.action_line", "notice.action_due"}, kind


def test_what_the_registry_declares_per_kind_is_for_a_registered_kind() -> None:
    """An answer, a check or a writer filed under a misspelt kind would silently never run."""
    registered = {str(kind) for kind in NOTICES}
    for name in ("answers", "still_due", "details", "written"):
        declared = set(getattr(DECLARED, name))
        assert declared and declared <= registered, (name, declared - registered)
