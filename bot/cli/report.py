"""``vhbot report``: the network's figures for a period as a spreadsheet (CSV or XLSX), the same counts the
ketenmanager reads in chat with ``cijfers``: small ones hidden, nothing that names a case or a person; and next to
it the chart of referrals per month (FILE.png). Every export is audited."""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import SubParsers, UsageError, audit_command
from bot.cli.spreadsheet import safe_cell, write_rows

if TYPE_CHECKING:
    from bot.app import App

HEADER = ["section", "label", "value"]


async def cmd_report(app: App, args: argparse.Namespace) -> int:
    from bot.charts import png_of
    from config.definitions import load_definitions
    from handlers.figures.period import Period
    from handlers.figures.report import build

    if args.to < getattr(args, "from"):
        raise UsageError("--to is before --from")
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise UsageError("--out must end in .csv or .xlsx")
    if not out.parent.is_dir():
        raise UsageError(f"--out: there is no folder {out.parent}")
    period = Period(getattr(args, "from"), args.to + timedelta(days=1))
    language = args.language or app.texts.default_language
    async with app.sessions() as session, session.begin():
        term = load_definitions().process.decision_working_days
        figures = await build(session, app.texts, language, period, app.now(), app.calendar, term)
        await audit_command(session, app, "report", "figures.export")
    rows = [[figures.heading, "", ""], HEADER, *figures.table()]
    owner_only(out)
    await asyncio.to_thread(_write_csv if out.suffix.lower() == ".csv" else _write_xlsx, out, rows)
    print(f"{out}: {len(rows) - 2} rows")
    png = await png_of(figures.chart)
    if png is not None:
        chart = out.with_suffix(".png")
        owner_only(chart)
        await asyncio.to_thread(chart.write_bytes, png)
        print(f"{chart}: {figures.chart.title}")
    return 0


def owner_only(path: Path) -> None:
    """The file exists, readable by its owner only, before anything is written into it: a region's figures are
    not for every account on the machine (writing into it later keeps the mode)."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)


def _write_csv(out: Path, rows: list[list[str]]) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        write_rows(handle, rows)


def _write_xlsx(out: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "kengetallen"
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])  # '=…' would be stored as a formula otherwise
    book.save(out)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-31") from None


def register(commands: SubParsers) -> None:
    report = commands.add_parser("report", help="the network's figures for a period as CSV or XLSX")
    report.add_argument("--from", required=True, type=_day, help="first day, e.g. 2026-01-01")
    report.add_argument("--to", required=True, type=_day, help="last day, e.g. 2026-12-31")
    report.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    report.add_argument("--language", choices=("nl", "en"), help="of the labels (default: the bot's)")
    report.set_defaults(run=cmd_report)
