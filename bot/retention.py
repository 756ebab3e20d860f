"""Running the retention purge (``storage.retention``) for the CLI and, once a day, for ``vhbot serve``."""

from __future__ import annotations

from bot.app import App
from storage import audit, retention
from storage.retention import Cutoffs, Purge


def cutoffs_now(app: App) -> Cutoffs:
    settings = app.settings
    return Cutoffs.at(
        app.now(),
        case_months=settings.retention_months,
        dialogue_minutes=settings.dialogue_timeout_minutes,
        inbound_days=settings.inbound_retention_days,
        audit_months=settings.audit_retention_months,
    )


async def purge(app: App, *, dry_run: bool, channel: str) -> Purge:
    """What goes (``dry_run``) or went; every purged case leaves an audit entry, in the same transaction."""
    cutoffs = cutoffs_now(app)
    async with app.sessions() as session, session.begin():
        if dry_run:
            return await retention.plan(session, cutoffs)
        done = await retention.purge(session, cutoffs)
        entries: list[dict[str, object]] = [
            {
                "at": app.now(),
                "actor_id": None,
                "on_behalf_of": "retention",
                "event": "case.purge",
                "case_number": number,
                "channel": channel,
            }
            for number in done.cases
        ]
        await audit.record_many(session, entries)
    return done
