"""The network's figures for a period, in sections of (label, value) rows: what the ketenmanager reads in chat
(``cijfers``) and what ``vhbot report`` writes. Only counts and durations, each shown as
``handlers.figures.counts`` allows; never a case number, a name or anything typed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from handlers.dates.working_days import WorkingCalendar
from handlers.dialogue.messages import Chart
from handlers.figures.counts import SMALL, shown, spread
from handlers.figures.period import Period
from storage import check_tallies, figures, privacy
from storage.figures import Referral
from storage.models import ActionStatus, CaseState

Row = tuple[str, str]


@dataclass(frozen=True)
class Section:
    """In chat, the rows whose value is 0 stand together on one line (a phone shows what counts, and nothing is
    lost): their labels joined, or ``zeros`` where listing them would be long (eleven months). The spreadsheet
    keeps every row."""

    title: str
    rows: tuple[Row, ...]
    zeros: str | None = None

    def chat_rows(self) -> tuple[Row, ...]:
        nothing = [label for label, value in self.rows if value == "0"]
        if len(nothing) < 2:
            return self.rows
        counted = tuple((label, value) for label, value in self.rows if value != "0")
        return (*counted, (self.zeros or ", ".join(nothing), "0"))


@dataclass(frozen=True)
class Figures:
    heading: str
    sections: tuple[Section, ...]
    chart: Chart

    def lines(self) -> list[str]:
        """As chat lines: the heading, then each section's title and its rows."""
        lines = [self.heading]
        for section in self.sections:
            lines += ["", section.title, *(f"- {label}: {value}" for label, value in section.chat_rows())]
        return lines

    def table(self) -> list[list[str]]:
        """As spreadsheet rows: section, label, value."""
        return [[section.title, label, value] for section in self.sections for label, value in section.rows]


async def build(
    session: AsyncSession,
    texts: Catalogue,
    language: str,
    period: Period,
    now: datetime,
    calendar: WorkingCalendar,
    term: int,
) -> Figures:
    """The figures of a period; ``term`` is the working days a first decision on a referral may take."""
    tz = calendar.tz

    def t(key: str, **params: object) -> str:
        return texts.text(language, key, **params)

    start, end = period.bounds(tz)
    referred = await figures.referrals(session, start, end)
    months = texts.text(language, "date.months").split(",")
    by_month = Counter(row.created_at.astimezone(tz).date().replace(day=1) for row in referred)
    decisions = Counter(row.decision for row in referred)
    moved = await figures.moves(session, start, end)
    statuses, overdue = await figures.actions(session, now)

    def days(rows: Iterable[tuple[datetime, datetime | None]]) -> list[float]:
        return [(later - earlier).total_seconds() / 86400 for earlier, later in rows if later is not None]

    def duration(values: list[float]) -> str:
        found = spread(values)
        if found is None:
            return t("figures.too_few")
        return t("figures.duration", median=f"{found[0]:.0f}", p90=f"{found[1]:.0f}")

    sections = [
        Section(t("figures.referrals"), ((t("figures.total"), shown(len(referred))),)),
        Section(
            t("figures.per_month"),
            tuple(
                (f"{months[month.month - 1]} {month.year}", shown(by_month[month]))
                for month in period.months()
            ),
            t("figures.other_months"),
        ),
        Section(t("figures.per_gemeente"), _counted(Counter(row.gemeente for row in referred))),
        Section(
            t("figures.per_melder_kind"),
            _counted(Counter(row.melder_kind for row in referred)),
        ),
        Section(
            t("figures.decision"),
            (
                (t("state.geaccepteerd"), shown(decisions[CaseState.GEACCEPTEERD])),
                (t("state.advies"), shown(decisions[CaseState.ADVIES])),
                (t("figures.undecided"), shown(decisions[None])),
            ),
        ),
        Section(
            t("figures.durations"),
            (
                (t("figures.to_decision"), duration(days((r.created_at, r.decided_at) for r in referred))),
                (t("figures.to_closing"), duration(days((r.created_at, r.closed_at) for r in referred))),
                (t("figures.in_term", days=term), _in_term(t, referred, calendar, term, now)),
                # How many cases are kept past their bewaartermijn by a decision (issue 37): how many, never which.
                (t("figures.extended"), shown(await privacy.extended_count(session))),
            ),
        ),
        Section(t("figures.moves"), _moves(texts, language, moved)),
        Section(
            t("figures.actions"),
            tuple((t(f"action_status.{status.value}"), shown(statuses[status])) for status in ActionStatus),
        ),
        Section(
            t("figures.overdue"),
            _counted(overdue) or ((t("figures.none"), "0"),),
        ),
        Section(t("figures.checks"), await _checks(session, texts, language, period)),
        Section(
            t("figures.concerns"),
            ((t("figures.total"), shown(await figures.concerns(session, start, end))),),
        ),
    ]
    last = date.fromordinal(period.end.toordinal() - 1)
    heading = t("figures.heading", first=_day(months, period.first), last=_day(months, last))
    return Figures(heading, tuple(sections), _chart(texts, language, period, referred, tz))


def _in_term(
    t: Callable[..., str], referred: Sequence[Referral], calendar: WorkingCalendar, term: int, now: datetime
) -> str:
    """First decisions in and out of the term (issue 36), a referral still undecided past its term counted
    late; the share within it only where enough were due to say it without pointing at anyone."""
    in_term = late = 0
    for row in referred:
        last_day = calendar.shift(calendar.local_date(row.created_at), term)
        decided = calendar.local_date(row.decided_at) if row.decided_at is not None else None
        if decided is not None and decided <= last_day:
            in_term += 1
        elif decided is not None or calendar.local_date(now) > last_day:
            late += 1
    due = in_term + late
    share = t("figures.too_few") if due < SMALL else f"{round(100 * in_term / due)}%"
    return t("figures.in_term_value", within=shown(in_term), late=shown(late), share=share)


def _chart(
    texts: Catalogue, language: str, period: Period, referred: list[figures.Referral], tz: ZoneInfo
) -> Chart:
    """Referrals per month by their first decision, as the sections show them (small counts hidden)."""
    months = texts.text(language, "date.months_short").split(",")
    per = Counter((row.created_at.astimezone(tz).date().replace(day=1), row.decision) for row in referred)
    labels = (
        (CaseState.GEACCEPTEERD, texts.text(language, "state.geaccepteerd")),
        (CaseState.ADVIES, texts.text(language, "state.advies")),
        (None, texts.text(language, "figures.undecided")),
    )
    series = tuple(
        (label, tuple(shown(per[(month, decision)]) for month in period.months()))
        for decision, label in labels
    )
    categories = tuple(f"{months[month.month - 1]} {month.year}" for month in period.months())
    title = texts.text(language, "figures.chart_title")
    return Chart(title, texts.text(language, "figures.chart_alt", title=title), categories, series)


async def _checks(session: AsyncSession, texts: Catalogue, language: str, period: Period) -> tuple[Row, ...]:
    """The anonymous checks by outcome (all that is kept of them: a count per day)."""
    counts = await check_tallies.by_outcome(session, period.first, period.end)
    outcomes = ("fits", "borderline", "redirect")
    rows = [
        (texts.text(language, f"check.verdict_short.{key}"), shown(counts.get(key, 0))) for key in outcomes
    ]
    stopped = sum(n for key, n in counts.items() if key not in outcomes)
    return (*rows, (texts.text(language, "figures.checks_stopped"), shown(stopped)))


def _day(months: list[str], day: date) -> str:
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _counted(counts: Counter[str]) -> tuple[Row, ...]:
    return tuple((label, shown(count)) for label, count in sorted(counts.items()) if count)


# The catalogue section that names each kind of move's reason (de-escalating has none).
_REASONS = {
    CaseState.ADVIES: "intake.target",
    CaseState.OPGESCHAALD: "escalation_target",
    CaseState.AFGESCHAALD: None,
    CaseState.AFGESLOTEN: "close_reason",
}


def _moves(texts: Catalogue, language: str, moved: Counter[tuple[CaseState, str]]) -> tuple[Row, ...]:
    rows: list[Row] = []
    for state, labels in _REASONS.items():
        total = sum(n for (to, _), n in moved.items() if to is state)
        rows.append((texts.text(language, f"state.{state.value}"), shown(total)))
        if labels is not None:
            for (to, reason), n in sorted(moved.items()):
                if to is state and reason:
                    key = f"{labels}.{reason}"
                    label = texts.text(language, key) if texts.has(key) else reason
                    rows.append((f"{texts.text(language, f'state.{state.value}')}: {label}", shown(n)))
    return tuple(rows)
