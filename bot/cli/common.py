"""What every command module shares: how an operator's mistake is reported, and the sub-parsers they add to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.app import App

SubParsers = Any  # argparse's sub-parser action has no public type


NONE = "none"  # typed for an id, an address or a tenant: remove it


class UsageError(Exception):
    """A mistake in what the operator typed; reported on one line, exit status 2."""


def refuse_formula(what: str, value: str) -> None:
    """Names end up in exports; one that a spreadsheet would run as a formula is refused where it comes in."""
    from storage.cells import looks_like_formula

    if not value.strip() or looks_like_formula(value) or looks_like_formula(value.strip()):
        raise UsageError(f"a {what} may not be empty or start with =, +, -, @, a tab or a control character")


async def audit_command(
    session: AsyncSession, app: App, command: str, event: str, case_number: str | None = None
) -> None:
    """One audit entry for what a command did: by nobody in the store, on behalf of the command itself."""
    from storage import audit

    await audit.record(
        session,
        at=app.now(),
        actor_id=None,
        on_behalf_of=f"vhbot {command} (command line)",
        event=event,
        case_number=case_number,
        channel="cli",
    )
