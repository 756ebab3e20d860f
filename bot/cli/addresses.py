"""Checking the ids and addresses an operator types or imports, one way for every command."""

from __future__ import annotations

import re

MATRIX_ID = re.compile(r"^@[a-z0-9._=/+-]+:[A-Za-z0-9.-]+(?::\d+)?$")
TEAMS_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
HOMESERVER = re.compile(r"^[A-Za-z0-9.-]+(?::\d+)?$")


def email_problem(value: str) -> str | None:
    """What is wrong with an e-mail address, or None (its syntax only: nothing is looked up)."""
    from email_validator import EmailNotValidError, validate_email  # only where an address is typed: 60 ms

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        return f"{value!r} is no e-mail address ({error})"
    return None


def normalised_email(value: str) -> str:
    from email_validator import validate_email

    return validate_email(value, check_deliverability=False).normalized.lower()
