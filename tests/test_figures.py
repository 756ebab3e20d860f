"""The network's figures (issue 20, in part): counts for the ketenmanager in chat and as a spreadsheet, with no
count small enough to single anyone out and nothing that names a case or a person; on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from bot.app import App
from bot.charts import PNG_SIGNATURE, png_of
from bot.cli.common import UsageError
from bot.cli.report import cmd_report
from handlers.figures.counts import shown, spread
from handlers.figures.period import Period, read_period
from handlers.figures.report import build
from storage import audit, people
from storage.models import AuditEntry, Case, CaseState, CaseTransition, CheckTally
from tests.conftest import AMSTERDAM, Chat
from tests.test_scenario import CHECK_THAT_FITS, refer_a_case

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("count", "as_shown"),
    [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (7, "5"), (8, "10"), (12, "10"), (13, "15")],
)
def test_small_counts_are_hidden_and_the_rest_rounded_to_fives(count: int, as_shown: str) -> None:
    assert shown(count) == as_shown


def test_durations_are_given_over_five_cases_or_more_only() -> None:
    assert spread([1, 2, 3, 4]) is None
    found = spread([1, 2, 3, 4, 5])
    assert found is not None and found[0] == 3 and found[1] == pytest.approx(4.6)


@pytest.mark.parametrize(
    ("words", "period"),
    [
        ("", Period(date(2026, 1, 1), date(2027, 1, 1))),
        ("2025", Period(date(2025, 1, 1), date(2026, 1, 1))),
        ("Q3", Period(date(2026, 7, 1), date(2026, 10, 1))),
        ("q4 2025", Period(date(2025, 10, 1), date(2026, 1, 1))),
        ("kwartaal 1", Period(date(2026, 1, 1), date(2026, 4, 1))),
        ("november", Period(date(2026, 11, 1), date(2026, 12, 1))),
        ("dec 2025", Period(date(2025, 12, 1), date(2026, 1, 1))),
        ("gisteren", None),
        ("Q5", None),
    ],
)
def test_a_period_is_read_as_people_name_it(words: str, period: Period | None) -> None:
    assert read_period(words, TODAY, MONTHS) == period


async def referrals(
    app: App, gemeente: str, count: int, decided: CaseState | None, first: int, after: int = 2
) -> None:
    """``count`` referrals by the agent in November 2026, each decided (or not) ``after`` days after it was made."""
    made = datetime(2026, 11, 2, 10, tzinfo=AMSTERDAM)
    async with app.sessions() as session, session.begin():
        agent = await people.professional_by_handle(session, "agent")
        assert agent is not None
        for n in range(first, first + count):
            case = Case(
                number=f"VH-2026-{n:04d}", state=decided or CaseState.INGEDIEND, melder_id=agent.id,
                gemeente=gemeente, subject_type="persoon", leefgebieden=["wonen"], ketens=["zorg"],
                urgency="normaal", informed="ja", goal="geheim doel", created_at=made, updated_at=made,
            )  # fmt: skip
            session.add(case)
            await session.flush()
            if decided is not None:
                await session.execute(
                    insert(CaseTransition),
                    {"case_id": case.id, "from_state": CaseState.INGEDIEND, "to_state": decided,
                     "actor_id": agent.id, "at": made + timedelta(days=after), "reason": None},
                )  # fmt: skip


async def seeded(chat: Chat) -> None:
    await referrals(chat.app, "Amersfoort", 9, CaseState.GEACCEPTEERD, 1)
    await referrals(chat.app, "Amersfoort", 3, CaseState.ADVIES, 10)
    await referrals(chat.app, "Soest", 3, None, 13)


async def test_the_ketenmanager_reads_the_figures_in_chat_without_a_case_or_small_count(chat: Chat) -> None:
    await seeded(chat)
    figures = await chat("manager", "cijfers november")
    lines = figures.splitlines()
    assert lines[0].startswith("Kengetallen van 1 november 2026 tot en met 30 november 2026.")
    assert "- totaal: 15" in lines
    assert "- Amersfoort: 10" in lines and "- Soest: <5" in lines  # 12 rounded, 3 hidden
    assert "- geaccepteerd: 10" in lines and "- nog niet beslist: <5" in lines
    assert "- aanmelding tot beslissing: mediaan 2 dagen, 90% binnen 2 dagen" in lines
    assert "- aanmelding tot afsluiten: te weinig casussen om te tonen" in lines
    # Decided two days after referral, within the five working days; the three undecided are past their term.
    assert "- eerste beslissing binnen 5 werkdagen: 10 binnen, <5 erna; aandeel binnen: 80%" in lines
    assert "VH-2026" not in figures and "geheim" not in figures and "Agent" not in figures
    assert (
        lines[-1]
        == "[Grafiek: Aanmeldingen per maand, naar eerste beslissing. Dezelfde aantallen staan in de tekst hierboven.]"
    )
    assert "- totaal: 0" in await chat("manager", "cijfers 2025")
    assert "Welke periode bedoelt u?" in await chat("manager", "cijfers gisteren")
    async with chat.app.sessions() as session:
        events = list(
            await session.scalars(select(AuditEntry.event).where(AuditEntry.event == "figures.shown"))
        )
    assert len(events) == 2


async def test_a_decision_after_the_term_counts_late_and_a_handful_shows_no_share(chat: Chat) -> None:
    await referrals(chat.app, "Amersfoort", 2, CaseState.GEACCEPTEERD, 1)  # in two days
    await referrals(chat.app, "Amersfoort", 2, CaseState.ADVIES, 3, after=9)  # a week and two days: late
    lines = (await chat("manager", "cijfers november")).splitlines()
    row = "- eerste beslissing binnen 5 werkdagen: <5 binnen, <5 erna; aandeel binnen: te weinig casussen om te tonen"
    assert row in lines
    await referrals(chat.app, "Soest", 4, CaseState.GEACCEPTEERD, 5, after=8)
    row = "- eerste beslissing binnen 5 werkdagen: <5 binnen, 5 erna; aandeel binnen: 25%"
    assert row in (await chat("manager", "cijfers november")).splitlines()


async def test_the_chart_shows_what_the_text_shows_and_is_drawn_apart(chat: Chat) -> None:
    await seeded(chat)
    calendar = chat.app.calendar
    async with chat.app.sessions() as session:
        figures = await build(
            session,
            chat.app.texts,
            "nl",
            Period(date(2026, 10, 1), date(2026, 12, 1)),
            chat.app.now(),
            calendar,
            5,
        )
    chart = figures.chart
    assert chart.categories == ("okt 2026", "nov 2026")
    assert chart.series == (
        ("geaccepteerd", ("0", "10")),  # 9, rounded as in the text
        ("advies gegeven (niet in behandeling)", ("0", "<5")),  # 3, hidden as in the text
        ("nog niet beslist", ("0", "<5")),
    )
    png = await png_of(chart)
    assert png is not None and png.startswith(PNG_SIGNATURE)
    assert "matplotlib" not in sys.modules  # drawn in a child process, never loaded here


async def test_a_year_in_chat_shows_the_months_that_count_and_the_chart_names_months_as_the_dutch_do(
    chat: Chat,
) -> None:
    await seeded(chat)
    lines = (await chat("manager", "cijfers 2026")).splitlines()
    months = lines[lines.index("Aanmeldingen per maand") + 1 : lines.index("Aanmeldingen per maand") + 3]
    assert months == ["- november 2026: 15", "- de andere maanden: 0"]  # not twelve lines, eleven of them 0
    calendar = chat.app.calendar
    async with chat.app.sessions() as session:
        year = await build(
            session,
            chat.app.texts,
            "nl",
            Period(date(2026, 1, 1), date(2027, 1, 1)),
            chat.app.now(),
            calendar,
            5,
        )
    assert year.chart.categories[2:4] == ("mrt 2026", "apr 2026")
    assert sum(row[0] == "Aanmeldingen per maand" for row in year.table()) == 12  # the spreadsheet keeps all


async def test_only_the_ketenmanager_gets_the_figures(chat: Chat) -> None:
    for handle in ("agent", "regisseur"):
        assert "voor de ketenmanager" in await chat(handle, "cijfers")


async def test_the_report_is_a_spreadsheet_safe_to_open_and_audited(chat: Chat, tmp_path: Path) -> None:
    await seeded(chat)
    written = []
    for name in ("figures.csv", "figures.xlsx"):
        out = tmp_path / name
        arguments = argparse.Namespace(to=date(2026, 11, 30), out=str(out), language="nl")
        setattr(arguments, "from", date(2026, 11, 1))
        assert await cmd_report(chat.app, arguments) == 0
        written.append(out)
    text = written[0].read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[1] == ["section", "label", "value"]
    assert ["Aanmeldingen per gemeente", "Soest", "<5"] in rows
    assert all(line.startswith('"') and line.endswith('"') for line in text.splitlines())  # every cell quoted
    sheet = load_workbook(written[1]).active
    assert sheet is not None
    assert [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)] == rows
    assert "VH-2026" not in text
    assert (tmp_path / "figures.png").read_bytes().startswith(PNG_SIGNATURE)  # the chart next to the export
    for path in (*written, tmp_path / "figures.png"):
        assert path.stat().st_mode & 0o777 == 0o600, path  # the region's figures are the operator's only
    nowhere = argparse.Namespace(
        to=date(2026, 11, 30), out=str(tmp_path / "missing" / "f.csv"), language="nl"
    )
    setattr(nowhere, "from", date(2026, 11, 1))
    with pytest.raises(UsageError, match="there is no folder"):
        await cmd_report(chat.app, nowhere)
    async with chat.app.sessions() as session:
        exports = [entry for entry in await audit.export(session) if entry[0].event == "figures.export"]
    assert len(exports) == 2


async def test_anonymous_checks_and_advice_are_counted_by_outcome_and_to_whom(chat: Chat) -> None:
    await chat("agent", *CHECK_THAT_FITS, "nee")  # a check that fits, no referral after it
    await chat("ggz", "check", "ja")  # stopped: acute danger
    number = await refer_a_case(chat)  # a second check that fits, and the referral
    await chat(
        "regisseur", f"beoordeel {number}", "doorverwijzen", "wijkteam", "Past beter bij het wijkteam", "ja"
    )
    lines = (await chat("manager", "cijfers")).splitlines()
    assert (
        "- past waarschijnlijk: <5" in lines and "- twijfel, doorverwijzen: 0" in lines
    )  # the zeros together
    assert "- gestopt om acuut gevaar: <5" in lines
    assert "- advies gegeven (niet in behandeling): wijkteam / gebiedsteam: <5" in lines
    async with chat.app.sessions() as session:
        tallies = {(row.outcome, row.count) for row in await session.scalars(select(CheckTally))}
    assert tallies == {("fits", 2), ("acuut", 1)}  # a count per day and outcome: nobody, no answer
