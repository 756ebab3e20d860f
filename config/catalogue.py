"""Message catalogues: every sentence a person reads, per language, from config/texts/*.toml."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

from config.files import SHIPPED, ConfigError, site

TEXTS_DIR = SHIPPED / "texts"


PLURAL_FORMS = {"one", "other"}


def _flatten(
    tree: dict[str, Any], prefix: str = "", words: dict[str, tuple[str, ...]] | None = None
) -> tuple[dict[str, str | tuple[str, str]], dict[str, tuple[str, ...]]]:
    """Texts by dotted key (a text with plural forms as the pair (one, other)), and apart from them the lists of
    words (such as a conversation's entry words)."""
    flat: dict[str, str | tuple[str, str]] = {}
    words = {} if words is None else words
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) == PLURAL_FORMS:
            flat[name] = (str(value["one"]), str(value["other"]))
        elif isinstance(value, dict):
            flat.update(_flatten(value, f"{name}.", words)[0])
        elif isinstance(value, list):
            words[name] = tuple(str(item) for item in value)
        else:
            flat[name] = str(value)
    return flat, words


class Catalogue:
    """Looks texts up by dotted key; a language missing a key falls back to the default language. A text written
    as a table of ``one`` and ``other`` is chosen by its ``count`` ("1 casus", "2 casussen")."""

    def __init__(
        self,
        texts: dict[str, dict[str, str | tuple[str, str]]],
        default_language: str,
        words: dict[str, dict[str, tuple[str, ...]]] | None = None,
    ) -> None:
        self._texts = texts
        self._words = words or {}
        self.default_language = default_language
        self._synonyms: dict[str, tuple[str, ...]] | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._texts)

    def words(self, language: str, key: str) -> tuple[str, ...]:
        """A list of words in one language (no fallback: each language has its own)."""
        return self._words.get(language, {}).get(key, ())

    def synonyms(self) -> dict[str, tuple[str, ...]]:
        """Other words for options, in every language (``[synonyms] <option key> = [...]``): word → the keys of
        the options it may mean. An answer is matched only against the options its question offers."""
        if self._synonyms is None:
            found: dict[str, set[str]] = {}
            for words in self._words.values():
                for name, listed in words.items():
                    if name.startswith("synonyms."):
                        for word in listed:
                            found.setdefault(word.casefold(), set()).add(name.removeprefix("synonyms."))
            self._synonyms = {word: tuple(sorted(keys)) for word, keys in found.items()}
        return self._synonyms

    def keys(self, language: str) -> set[str]:
        return set(self._texts[language])

    def placeholders(self, language: str, key: str) -> set[str]:
        """The names a text (each of its plural forms) asks to be filled in, in one language."""
        return _fields(self._texts[language][key])

    def has(self, key: str) -> bool:
        return key in self._texts[self.default_language]

    def text(self, language: str, key: str, **params: object) -> str:
        table = self._texts.get(language) or self._texts[self.default_language]
        template = table.get(key) or self._texts[self.default_language][key]
        if isinstance(template, tuple):
            template = template[0] if params["count"] == 1 else template[1]
        if params:
            return template.format(**params)
        if "{" in template and any(field is not None for _, field, _, _ in Formatter().parse(template)):
            raise KeyError(f"{key} needs its parameters")  # never a '{case}' in what someone reads
        return template


def load_catalogue(default_language: str = "nl") -> Catalogue:
    """The shipped texts, with the lines a ZVH wrote in its own ``texts/<language>.toml`` in their place."""
    return _catalogue(default_language, site())


@lru_cache(maxsize=4)
def _catalogue(default_language: str, own: Path | None) -> Catalogue:
    texts, words = {}, {}
    for path in sorted(TEXTS_DIR.glob("*.toml")):
        texts[path.stem], words[path.stem] = _flatten(_read(path))
    for path in sorted((own / "texts").glob("*.toml")) if own is not None else ():
        _overlay(path, texts.get(path.stem, {}), words.get(path.stem, {}))
    return Catalogue(texts, default_language, words)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from None


def _overlay(path: Path, texts: dict[str, str | tuple[str, str]], words: dict[str, tuple[str, ...]]) -> None:
    """A ZVH's own lines over the shipped ones: only lines that exist (a misspelt key would be silently unused),
    asking for the same placeholders (else a person would read an error instead of the line)."""
    own_texts, own_words = _flatten(_read(path))
    for key, text in own_texts.items():
        if key not in texts:
            raise ConfigError(f"{path}: {key} is not a line of the texts")
        if isinstance(text, tuple) != isinstance(texts[key], tuple):
            form = "the forms one and other" if isinstance(texts[key], tuple) else "one text, without forms"
            raise ConfigError(f"{path}: {key} must have {form}")
        if _fields(text) != _fields(texts[key]):
            raise ConfigError(f"{path}: {key} must use the placeholders {sorted(_fields(texts[key]))}")
        texts[key] = text
    for key, listed in own_words.items():
        if key not in words:
            raise ConfigError(f"{path}: {key} is not a list of the texts")
        words[key] = listed


def _fields(text: str | tuple[str, str]) -> set[str]:
    forms = text if isinstance(text, tuple) else (text,)
    return {field for form in forms for _, field, _, _ in Formatter().parse(form) if field}
