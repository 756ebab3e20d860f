"""Reading the rows of ``vhbot users import``: every mistake in the file found before anything is added, each
with the line it is on, so a file is imported whole or not at all."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass

from bot.cli.addresses import MATRIX_ID, TEAMS_ID, email_problem, normalised_email
from storage.cells import looks_like_formula
from storage.handles import handle_from

ROLES = ("melder", "procesregisseur", "ketenmanager")
LANGUAGES = ("nl", "en")
REQUIRED = ("name", "organisation", "role")
OPTIONAL = ("handle", "email", "matrix", "teams", "language")


@dataclass(frozen=True)
class UserRow:
    line: int
    name: str
    organisation: str
    role: str
    handle: str
    matrix: str | None
    teams: str | None
    language: str
    email: str | None = None


@dataclass
class Known:
    """What the store has already: organisation names, handles, and linked Matrix and Teams ids and e-mail
    addresses."""

    organisations: set[str]
    handles: set[str]
    matrix_ids: set[str]
    teams_ids: set[str]
    emails: set[str]


def read_rows(lines: Iterable[str], known: Known) -> tuple[list[UserRow], list[str]]:
    """The rows, and every problem as 'line N: …' (the header is line 1)."""
    reader = csv.DictReader(lines)
    columns = [column.strip() for column in reader.fieldnames or []]
    unknown = [column for column in columns if column not in REQUIRED + OPTIONAL]
    missing = [column for column in REQUIRED if column not in columns]
    if unknown or missing:
        wrong = [f"unknown column {name!r}" for name in unknown] + [f"no column {name!r}" for name in missing]
        return [], [f"line 1: {'; '.join(wrong)} (columns: {', '.join(REQUIRED + OPTIONAL)})"]
    rows: list[UserRow] = []
    problems: list[str] = []
    handles, matrix_ids, teams_ids = set(known.handles), set(known.matrix_ids), set(known.teams_ids)
    emails = set(known.emails)
    for values in reader:
        line = reader.line_num
        cell = {key.strip(): (value or "").strip() for key, value in values.items() if key}
        wrong = _problems(cell, known, handles, matrix_ids, teams_ids)
        email = cell.get("email", "")
        email_wrong = email_problem(email) if email else None
        if email_wrong:
            wrong.append(email_wrong)
        elif email and normalised_email(email) in emails:
            wrong.append(f"e-mail address {email!r} belongs to someone else already")
        if wrong:
            problems += [f"line {line}: {problem}" for problem in wrong]
            continue
        handle = cell.get("handle") or handle_from(cell["name"])
        row = UserRow(
            line,
            cell["name"],
            cell["organisation"],
            cell["role"],
            handle,
            cell.get("matrix") or None,
            cell.get("teams") or None,
            cell.get("language") or "nl",
            normalised_email(email) if email else None,
        )
        handles.add(row.handle)
        emails.update([row.email] if row.email else [])
        matrix_ids.update([row.matrix] if row.matrix else [])
        teams_ids.update([row.teams] if row.teams else [])
        rows.append(row)
    return rows, problems


def _problems(
    cell: dict[str, str], known: Known, handles: set[str], matrix_ids: set[str], teams_ids: set[str]
) -> list[str]:
    """What is wrong with one row, against the store and the rows before it."""
    wrong = []
    name, handle = cell.get("name", ""), cell.get("handle") or handle_from(cell.get("name", ""))
    if not name or looks_like_formula(name):
        wrong.append("the name is empty or starts like a spreadsheet formula")
    if cell.get("organisation") not in known.organisations:
        wrong.append(f"no organisation named {cell.get('organisation')!r} (add it with 'vhbot orgs add')")
    if cell.get("role") not in ROLES:
        wrong.append(f"role {cell.get('role')!r} is none of {', '.join(ROLES)}")
    if not handle or looks_like_formula(handle):
        wrong.append("the handle is empty or starts like a spreadsheet formula")
    elif handle in handles:
        wrong.append(f"handle {handle!r} is taken")
    matrix, teams = cell.get("matrix", ""), cell.get("teams", "")
    if matrix and not MATRIX_ID.match(matrix):
        wrong.append(f"{matrix!r} is no Matrix id like @name:server")
    elif matrix in matrix_ids:
        wrong.append(f"Matrix id {matrix!r} belongs to someone else already")
    if teams and not TEAMS_ID.match(teams):
        wrong.append(f"{teams!r} is no Teams (Entra ID) object id")
    elif teams in teams_ids:
        wrong.append(f"Teams id {teams!r} belongs to someone else already")
    if cell.get("language", "nl") not in LANGUAGES + ("",):
        wrong.append(f"language {cell.get('language')!r} is none of {', '.join(LANGUAGES)}")
    return wrong
