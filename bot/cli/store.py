"""The store itself: create or upgrade the schema, retention by hand, and the encryption keys."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.cli.common import SubParsers

if TYPE_CHECKING:
    from bot.app import App


async def cmd_migrate(app: App, args: argparse.Namespace) -> int:
    from storage import migrate

    before = await migrate.current_revision(app.engine)
    await migrate.upgrade(app.engine)
    after = await migrate.current_revision(app.engine)
    await app.open()
    if before == after:
        print(f"database is up to date (at {after}); nothing to do")
    else:
        print(f"database migrated from {before or 'empty'} to {after}")
    return 0


async def cmd_purge(app: App, args: argparse.Namespace) -> int:
    """Retention by hand (``vhbot serve`` runs it daily); ``--dry-run`` only shows what would go."""
    from bot import retention

    failure: retention.AuditPurgeFailed | None = None
    try:
        found = await retention.purge(app, dry_run=args.dry_run, channel="cli")
    except retention.AuditPurgeFailed as failed:
        found, failure = failed.done, failed
    verb = "would purge" if args.dry_run else "purged"
    count = len(found.cases)
    cases = "case" if count == 1 else "cases"
    ended = f"closed or answered with advice more than {app.settings.retention_months} months ago"
    print(f"{verb} {count} {cases} ({ended})")
    for number in found.cases:
        print(f"  {number}")
    print(
        f"{verb} {found.dialogues} expired dialogues, {found.inbound_messages} handled-message records, "
        f"{found.subject_forms} old form links, {found.join_offers} unanswered offers to join, "
        f"{found.strangers_chats} Matrix chats of people without an account, {found.audit_entries} audit entries"
    )
    if failure is not None:
        print(f"vhbot purge: {failure}", file=sys.stderr)
        return 1
    return 0


async def cmd_keys_new(app: App, args: argparse.Namespace) -> int:
    """A fresh key entry, for installations that keep their keys in VHBOT_ENCRYPTION_KEYS or a secret store."""
    from storage.crypto import new_key_entry

    print(new_key_entry())
    return 0


async def cmd_keys_rotate(app: App, args: argparse.Namespace) -> int:
    """Everything re-encrypted under a new key while the bot keeps running; the old keys are retired."""
    from storage import keys

    from_file = app.settings.encryption_keys is None
    report = await keys.rotate(app.engine, app.keyring, app.now(), new_key=from_file, pause=args.pause)
    print(f"re-encrypted {report.re_encrypted} values with key {report.new_key}")
    if report.retired:
        print(
            f"no value uses {', '.join(report.retired)} any more: remove it from {app.keyring.source} once no "
            "backup made with it is kept"
        )
    return 0


def register(commands: SubParsers) -> None:
    commands.add_parser("migrate", help="create or upgrade the schema").set_defaults(run=cmd_migrate)
    purging = commands.add_parser("purge", help="delete what the retention periods say is no longer kept")
    purging.add_argument("--dry-run", action="store_true", help="only show what would be deleted")
    purging.set_defaults(run=cmd_purge)
    key_commands = commands.add_parser("keys", help="encryption keys").add_subparsers(
        dest="action", required=True
    )
    key_commands.add_parser("new", help="print a new key entry").set_defaults(run=cmd_keys_new, store=False)
    rotation = key_commands.add_parser(
        "rotate", help="re-encrypt the store under a new key (the bot may keep running)"
    )
    rotation.add_argument(
        "--pause", type=float, default=None, help="seconds to wait for running processes to see the new key"
    )
    rotation.set_defaults(run=cmd_keys_rotate)
