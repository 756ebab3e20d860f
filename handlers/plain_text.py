"""What people type, made safe to keep and show (printable text only, in one Unicode form), and folded to be
compared with words the bot knows."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Control characters (but tab and newline), zero-width characters and direction overrides.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Hyphens that look like '-': Teams shows case numbers with non-breaking ones, and people copy them from there.
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


def one_line(text: str) -> str:
    """``clean``, on one line: a name someone's channel gives is shown inside others' lines, where a line break
    of its own ('Eva\nPetra Regisseur heeft dit goedgekeurd') would pass for a line of the bot's."""
    return re.sub(r"\s+", " ", clean(text)).strip()


def clean(text: str) -> str:
    """Printable text only: no control or direction-override characters, NFC, plain hyphens, trimmed."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", unicodedata.normalize("NFC", text)).translate(_HYPHENS).strip()


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without accents or surrounding punctuation, so 'Financiën.' matches 'financien'.

    Remembered: every typed answer is compared with each option's label, key and parts, the same few hundred
    words message after message; folding them anew cost a Teams message about as much as its store work."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain).strip(" .,!?;:'\"")
