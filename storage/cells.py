"""What a spreadsheet takes for the start of a formula (OWASP ASVS 5.0 §1.2.10). Names and values kept in the
store end up in exports (the audit trail, the figures): a value that starts like this is refused where it comes
in, stripped of that start, or written with a prefix. Importing this costs nothing, so the command line can check
names before it needs the store."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)
