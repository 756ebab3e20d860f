"""Reading the rows of ``vhbot users import``: every mistake in the file found before anything is added, each
with the line it is on, so a file is imported whole or not at all."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass

from bot.cli.addresses import CHANNELS, BadAddress, checked_address
from storage.cells import looks_like_formula
from storage.handles import handle_from

ROLES = ("melder", "procesregisseur", "ketenmanager")
LANGUAGES = ("nl", "en")
REQUIRED = ("name", "organisation", "role")
OPTIONAL = ("handle", "email", "matrix", "teams", "language", "gemeenten")


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
    # A procesregisseur's gemeenten (aandachtsfunctionaris); None where the file has no such column.
    gemeenten: tuple[str, ...] | None = None


@dataclass
class Known:
    """What the store has already: organisation names, handles, and linked Matrix and Teams ids and e-mail
    addresses."""

    organisations: set[str]
    handles: set[str]
    matrix_ids: set[str]
    teams_ids: set[str]
    emails: set[str]
    gemeenten: tuple[str, ...]  # the region's (config/region.toml)


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
    handles = set(known.handles)
    taken = {"email": set(known.emails), "matrix": set(known.matrix_ids), "teams": set(known.teams_ids)}
    assigned: dict[str, int] = {}  # gemeente -> the line that names it
    for values in reader:
        line = reader.line_num
        cell = {key.strip(): (value or "").strip() for key, value in values.items() if key}
        wrong = _problems(cell, known, handles)
        gemeenten = (
            _gemeenten(cell, known.gemeenten, assigned, line, wrong) if "gemeenten" in columns else None
        )
        addresses: dict[str, str | None] = {}
        for channel in CHANNELS:
            addresses[channel] = _address(cell.get(channel, ""), channel, taken[channel], wrong)
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
            addresses["matrix"],
            addresses["teams"],
            cell.get("language") or "nl",
            addresses["email"],
            gemeenten,
        )
        handles.add(row.handle)
        for channel, address in addresses.items():
            taken[channel].update([address] if address else [])
        rows.append(row)
    return rows, problems


def _address(value: str, channel: str, taken: set[str], wrong: list[str]) -> str | None:
    """The row's address on ``channel`` as stored, or None; what is wrong with it goes to ``wrong``."""
    if not value:
        return None
    try:
        address = checked_address(channel, value)
    except BadAddress as error:
        wrong.append(str(error))
        return None
    if address in taken:
        wrong.append(f"{_NAMES[channel]} {value!r} belongs to someone else already")
    return address


_NAMES = {"email": "e-mail address", "matrix": "Matrix id", "teams": "Teams id"}


def _gemeenten(
    cell: dict[str, str], region: tuple[str, ...], assigned: dict[str, int], line: int, wrong: list[str]
) -> tuple[str, ...]:
    """A row's gemeenten ('Baarn; Soest' or 'Baarn, Soest') in the region's spelling; what is wrong with them
    goes to ``wrong``: a name the region does not list, gemeenten for anyone but a procesregisseur, a gemeente an
    earlier row has already (a gemeente has one aandachtsfunctionaris)."""
    known = {name.casefold(): name for name in region}
    typed = [part.strip() for part in cell.get("gemeenten", "").replace(";", ",").split(",") if part.strip()]
    unknown = [name for name in typed if name.casefold() not in known]
    if unknown:
        wrong.append(f"not a gemeente of this region: {', '.join(unknown)}")
    found = tuple(sorted({known[name.casefold()] for name in typed if name.casefold() in known}))
    if found and cell.get("role") != "procesregisseur":
        wrong.append("only a procesregisseur can be the aandachtsfunctionaris of a gemeente")
    for name in found:
        if name in assigned:
            wrong.append(f"gemeente {name} is on line {assigned[name]} already")
        assigned.setdefault(name, line)
    return found


def _problems(cell: dict[str, str], known: Known, handles: set[str]) -> list[str]:
    """What is wrong with one row's name, organisation, role, handle and language, against the store and the rows
    before it."""
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
    if cell.get("language", "nl") not in LANGUAGES + ("",):
        wrong.append(f"language {cell.get('language')!r} is none of {', '.join(LANGUAGES)}")
    return wrong
