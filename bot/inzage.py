"""An inzage (AVG art. 15): everything the store holds about the betrokkene of some cases, as a document a person
can read and print (HTML, in Dutch) and as JSON beside it, both readable by their owner only.

Who saw or changed the case is given as organisation and role, from the audit trail, not as the staff members'
names. A part the operator withholds on a legal ground (a running criminal investigation, another person's
rights) is left out, and the export says that it was and why.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from storage import actions, audit, cases, feedback, people, privacy, subjects
from storage.models import Case, Organisation, Professional
from storage.privacy import Terms

# The parts of an export, in the order they are shown; each can be withheld on its own.
PARTS = ("gegevens", "inhoud", "verloop", "acties", "terugkoppeling", "logboek", "besluiten")
LANGUAGE = "nl"


@dataclass
class Export:
    """What is held, per case and part, and what was withheld with its ground."""

    made_at: str
    terms: Terms
    cases: list[dict[str, Any]] = field(default_factory=list)
    withheld: dict[str, str] = field(default_factory=dict)


async def _who(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    """'Organisation (role)' per professional: who acted, as the betrokkene may know it."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Professional.id, Organisation.name, Professional.role)
        .join(Organisation, Organisation.id == Professional.organisation_id)
        .where(Professional.id.in_(ids))
    )
    return {person_id: f"{organisation} ({role.value})" for person_id, organisation, role in rows.all()}


def _when(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).strftime("%d-%m-%Y %H:%M")


async def _one_case(
    session: AsyncSession,
    case: Case,
    texts: Catalogue,
    tz: ZoneInfo,
    terms: Terms,
    left_out: Sequence[str],
) -> dict[str, Any]:
    def label(key: str) -> str:
        return texts.text(LANGUAGE, key)

    items = list(await actions.for_case(session, case.id))
    updates = list(await feedback.for_case(session, case.id, limit=None))
    steps = list(await cases.transitions(session, case.id))
    trail = await audit.export(session, case_number=case.number)
    members = list(await cases.participants(session, case.id))
    who = await _who(
        session,
        {case.melder_id, *(a.holder_id for a in items if a.holder_id), *(u.author_id for u in updates)}
        | {s.actor_id for s in steps}
        | {entry.actor_id for entry, _ in trail if entry.actor_id is not None}
        | {m.professional_id for m in members if m.professional_id is not None},
    )
    organisations = (
        await people.display_names(
            session,
            set(),
            {a.holder_organisation_id for a in items}
            | {m.organisation_id for m in members if m.organisation_id is not None},
        )
    ).organisations
    details = await subjects.details(session, case.id)
    moment = privacy.purge_moment(case, terms)
    found: dict[str, Any] = {
        "casusnummer": case.number,
        "gegevens": None
        if details is None
        else {"naam": details.name, "geboortedatum": details.birth_date, "adres": details.address},
        "inhoud": {
            "status": label(f"state.{case.state.value}"),
            "gemeente": case.gemeente,
            "aangemeld_door": who.get(case.melder_id),
            "aangemeld_op": _when(case.created_at, tz),
            "betrokkene": label(f"option.subject_type.{case.subject_type}"),
            "urgentie": label(f"option.urgency.{case.urgency}"),
            "leefgebieden": [label(f"option.leefgebieden.{key}") for key in case.leefgebieden],
            "ketens": [label(f"option.ketens.{key}") for key in case.ketens],
            "geinformeerd": label(f"option.geinformeerd.{case.informed}")
            if texts.has(f"option.geinformeerd.{case.informed}")
            else case.informed,
            "doel": case.goal,
            "deelnemers": [
                who.get(m.professional_id)
                if m.professional_id is not None
                else organisations.get(m.organisation_id or 0)
                for m in members
            ],
            "volgend_overleg": _when(case.next_meeting_at, tz),
            "afgesloten_op": _when(case.closed_at, tz),
            "beperkt_sinds": _when(case.restricted_at, tz),
            "bewaard_tot": _when(moment, tz) if moment else label("inzage.until_closed"),
            "bewaartermijn_verlengd_tot": _when(case.retain_until, tz),
        },
        "verloop": [
            {
                "op": _when(step.at, tz),
                "naar": label(f"state.{step.to_state.value}"),
                "door": who.get(step.actor_id),
                "toelichting": step.note,
                "reden": step.reason,
            }
            for step in steps
        ],
        "acties": [
            {
                "nummer": item.seq,
                "omschrijving": item.description,
                "houder": who.get(item.holder_id) if item.holder_id else None,
                "organisatie": organisations.get(item.holder_organisation_id),
                "deadline": _when(item.deadline, tz),
                "status": item.status.value,
                "toelichting": item.note,
            }
            for item in items
        ],
        "terugkoppeling": [
            {
                "op": _when(update.created_at, tz),
                "door": who.get(update.author_id),
                "tekst": update.body,
                "zorg": update.concern,
            }
            for update in sorted(updates, key=lambda update: update.created_at)
        ],
        "logboek": [
            {
                "op": _when(entry.at, tz),
                "gebeurtenis": entry.event,
                "door": who.get(entry.actor_id) if entry.actor_id is not None else entry.on_behalf_of,
                "kanaal": entry.channel,
            }
            for entry, _ in trail
        ],
        "besluiten": [
            {"op": _when(decision.at, tz), "besluit": decision.kind, "tot": _when(decision.until, tz)}
            for decision in await privacy.decisions_about(session, case.number)
        ],
    }
    for part in left_out:
        found[part] = None
    return found


async def build(
    session: AsyncSession,
    numbers: Sequence[str],
    texts: Catalogue,
    tz: ZoneInfo,
    now: datetime,
    terms: Terms,
    withheld: Mapping[str, str],
) -> Export:
    """The export of these cases, with the parts in ``withheld`` (part → legal ground) left out."""
    export = Export(made_at=_when(now, tz) or "", terms=terms, withheld=dict(withheld))
    for number in numbers:
        case = await cases.by_number(session, number)
        if case is not None:
            export.cases.append(await _one_case(session, case, texts, tz, terms, list(withheld)))
    return export


def _private_write(path: Path, content: str) -> None:
    """Written readable by its owner only, from the first byte (an existing file is replaced, not widened)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)


def write(export: Export, base: Path, texts: Catalogue) -> tuple[Path, Path]:
    """``base``.html and ``base``.json; returns both paths."""
    document, data = base.with_suffix(".html"), base.with_suffix(".json")
    _private_write(data, json.dumps(asdict(export), ensure_ascii=False, indent=2))
    _private_write(document, to_html(export, texts))
    return document, data


def _value_html(value: Any, label: Callable[..., str]) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return html.escape(label("inzage.yes" if value else "inzage.no"))
    if isinstance(value, list):
        return html.escape(", ".join(str(item) for item in value if item is not None)) or "–"
    return html.escape(str(value)).replace("\n", "<br>")


def _section_html(title: str, content: Any, withheld: str | None, label: Callable[..., str]) -> str:
    heading = f"<h3>{html.escape(title)}</h3>"
    if withheld is not None:
        return (
            f"{heading}<p class='withheld'>{html.escape(label('inzage.not_included', ground=withheld))}</p>"
        )
    if isinstance(content, dict):
        rows = "".join(
            f"<tr><th>{html.escape(key.replace('_', ' '))}</th><td>{_value_html(value, label)}</td></tr>"
            for key, value in content.items()
        )
        return f"{heading}<table>{rows}</table>"
    if isinstance(content, list) and content:
        columns = list(content[0])
        head = "".join(f"<th>{html.escape(column.replace('_', ' '))}</th>" for column in columns)
        body = "".join(
            "<tr>"
            + "".join(f"<td>{_value_html(row.get(column), label)}</td>" for column in columns)
            + "</tr>"
            for row in content
        )
        return f"{heading}<table class='list'><tr>{head}</tr>{body}</table>"
    return f"{heading}<p>–</p>"


_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
    "table{border-collapse:collapse;width:100%;margin-bottom:1em}th,td{border:1px solid #999;padding:.3em;"
    "text-align:left;vertical-align:top}th{background:#eee}.withheld{font-style:italic}"
    "@media print{body{margin:0}h2{page-break-before:always}h2:first-of-type{page-break-before:avoid}}"
)


def to_html(export: Export, texts: Catalogue) -> str:
    def label(key: str, **params: object) -> str:
        return texts.text(LANGUAGE, key, **params)

    title = html.escape(label("inzage.title"))
    parts = [
        f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(label('inzage.title'))}</h1>",
        f"<p>{html.escape(label('inzage.intro', made_at=export.made_at, months=export.terms.closed, advice=export.terms.advice))}</p>",
    ]
    if export.withheld:
        parts.append(f"<p class='withheld'>{html.escape(label('inzage.withheld'))}</p><ul>")
        parts += [
            f"<li>{html.escape(label(f'inzage.part.{part}'))}: {html.escape(ground)}</li>"
            for part, ground in export.withheld.items()
        ]
        parts.append("</ul>")
    for case in export.cases:
        parts.append(f"<h2>{html.escape(label('inzage.case', number=case['casusnummer']))}</h2>")
        parts += [
            _section_html(label(f"inzage.part.{part}"), case[part], export.withheld.get(part), label)
            for part in PARTS
        ]
    parts.append("</body></html>")
    return "\n".join(parts)
