"""Exports that are safe to open in a spreadsheet: every cell quoted (RFC 4180), and a cell that a spreadsheet
would take for a formula (starting with = + - @, a tab, a carriage return or NUL) prefixed with an apostrophe so
that it shows as text (OWASP ASVS 5.0 §1.2.10)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from storage.cells import looks_like_formula


def safe_cell(value: str) -> str:
    return f"'{value}" if looks_like_formula(value) else value


def write_rows(out: TextIO, rows: Iterable[Iterable[str]]) -> None:
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
