"""Exports open in a spreadsheet as text: every cell quoted, and formula-like cells made inert."""

from __future__ import annotations

import csv
import io

from bot.cli.spreadsheet import write_rows


def test_formula_like_cells_are_prefixed_and_every_cell_is_quoted() -> None:
    out = io.StringIO()
    cells = ['=HYPERLINK("x")', "+31", "-1", "@SUM(A1)", "\tTab", "\0nul", "gewoon, met komma", 'a "quote"']
    write_rows(out, [cells])
    (row,) = list(csv.reader(io.StringIO(out.getvalue())))
    assert row[:6] == ['\'=HYPERLINK("x")', "'+31", "'-1", "'@SUM(A1)", "'\tTab", "'\0nul"]
    assert row[6:] == ["gewoon, met komma", 'a "quote"']
    assert out.getvalue().startswith('"') and out.getvalue().endswith("\r\n")
