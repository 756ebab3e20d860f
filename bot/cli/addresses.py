"""Checking the ids and addresses an operator types or imports, one way for every command (``users add``, ``users
set``, ``users import``)."""

from __future__ import annotations

import re

from bot.cli.common import UsageError

MATRIX_ID = re.compile(r"^@[a-z0-9._=/+-]+:[A-Za-z0-9.-]+(?::\d+)?$")
# An AAD object id is a GUID; the Agents Playground's made-up users have one more digit at the end
# (00000000-0000-0000-0000-0000000000020), and registering them is how the README lets people try it.
TEAMS_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12,13}$")
HOMESERVER = re.compile(r"^[A-Za-z0-9.-]+(?::\d+)?$")
CHANNELS = ("email", "matrix", "teams")


class BadAddress(ValueError):
    """What is wrong with an id or address, said for the operator."""


def checked_address(channel: str, value: str) -> str:
    """The address as it is stored (an e-mail address normalised to lower case), or BadAddress. An e-mail
    address is checked for its syntax only: nothing is looked up."""
    if channel == "email":
        # Imported only where an address is typed (60 ms).
        from email_validator import EmailNotValidError, validate_email

        try:
            return validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError as error:
            raise BadAddress(f"{value!r} is no e-mail address ({error})") from None
    if channel == "matrix" and not MATRIX_ID.match(value):
        raise BadAddress(f"{value!r} is no Matrix id like @name:server")
    if channel == "teams" and not TEAMS_ID.match(value):
        raise BadAddress(f"{value!r} is no Teams (Entra ID) object id")
    return value


def typed_address(channel: str, value: str | None) -> str | None:
    """An address given on the command line, as stored; None when none was given; a UsageError when it is wrong."""
    if not value:
        return None
    try:
        return checked_address(channel, value)
    except BadAddress as error:
        raise UsageError(str(error)) from None
