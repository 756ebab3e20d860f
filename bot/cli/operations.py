"""For an operator and the privacy officer: the outbox's state, and the audit trail as CSV."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from bot.cli.common import SubParsers, UsageError, audit_command
from bot.cli.spreadsheet import write_rows

if TYPE_CHECKING:
    from bot.app import App
    from storage.models import Professional


async def cmd_outbox(app: App, args: argparse.Namespace) -> int:
    """How many rows per status, then the failed, the late and the next pending ones."""
    from storage import outbox
    from storage.models import OutboxStatus

    now = app.now()
    late_before = now - timedelta(minutes=app.settings.outbox_late_after_minutes)
    async with app.sessions() as session:
        counts = await outbox.count_by_status(session)
        print("  ".join(f"{status.value}: {counts.get(status, 0)}" for status in OutboxStatus))
        sections = [
            ("failed", [OutboxStatus.FAILED], None),
            ("late", [OutboxStatus.PENDING], late_before),
            ("pending", [OutboxStatus.PENDING], None),
        ]
        for title, statuses, before in sections:
            rows = await outbox.listing(session, statuses, args.limit, due_before=before)
            print(f"\n{title} ({len(rows)}{'+' if len(rows) == args.limit else ''}):")
            for row, handle in rows:
                print(
                    f"  #{row.id}\t{row.kind}\tto {handle}\t{row.case_number or '-'}\t"
                    f"for {row.scheduled_at:%Y-%m-%d %H:%M}Z\tattempts {row.attempts}\t"
                    f"{row.last_error or ''} {','.join(row.failed_channels)}".rstrip()
                )
    return 0


async def cmd_audit(app: App, args: argparse.Namespace) -> int:
    """The audit trail of one case or one person as CSV; the export is audited too."""
    from storage import audit, people

    number = args.case.upper() if args.case else None
    async with app.sessions() as session, session.begin():
        actor_id = None
        if args.user:
            person = await people.professional_by_handle(session, args.user)
            if person is None:
                raise UsageError(f"no user with handle {args.user!r}")
            actor_id = person.id
        entries = await audit.export(session, case_number=number, actor_id=actor_id)
        named = await people.by_ids(
            session, {i for e, _ in entries if (i := audit.person_of(e.on_behalf_of))}
        )
        await audit_command(
            session, app, "audit", "audit.export.case" if number else "audit.export.user", number
        )
    header = ["at_utc", "who", "on_behalf_of", "event", "case", "channel"]
    rows = (
        [
            entry.at.astimezone(UTC).isoformat(timespec="seconds"),
            handle or "",
            _behalf(entry.on_behalf_of, named),
            entry.event,
            entry.case_number or "",
            entry.channel,
        ]
        for entry, handle in entries
    )
    write_rows(sys.stdout, [header, *rows])
    return 0


def _behalf(on_behalf_of: str | None, named: Mapping[int, Professional]) -> str:
    """A person acted for is kept by id in the trail; the privacy officer reads their name and handle."""
    from storage import audit

    person = named.get(audit.person_of(on_behalf_of) or 0)
    return f"{person.name} ({person.handle})" if person is not None else on_behalf_of or ""


def register(commands: SubParsers) -> None:
    listing = commands.add_parser("outbox", help="pending, late and failed outgoing messages")
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(run=cmd_outbox)
    trail = commands.add_parser("audit", help="export the audit trail of a case or a person as CSV")
    which = trail.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", help="case number, e.g. VH-2026-0042")
    which.add_argument("--user", help="handle of a professional")
    trail.set_defaults(run=cmd_audit)
