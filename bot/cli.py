"""The stable command line: migrate, orgs, users, chat, demo."""

from __future__ import annotations

import argparse
import asyncio
import csv
import logging
import re
import signal
import sys
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot import retention
from bot.app import App, build_app, run
from bot.channels.form_page import FormSite
from bot.channels.matrix.channel import MatrixChannel
from bot.channels.matrix.connection import MatrixSetupError
from bot.channels.matrix.sender import MatrixSender
from bot.channels.recording import RecordingSender
from bot.channels.teams.adapter import TeamsSetupError
from bot.channels.teams.channel import TeamsChannel
from bot.channels.teams.manifest import Publisher, package
from bot.channels.teams.sender import TeamsSender
from bot.channels.terminal import (
    Deliver,
    TerminalChannel,
    TerminalSender,
    is_interactive,
    run_interactive,
    run_piped,
)
from bot.delivery import DeliveryEngine
from bot.demo import load_demo
from bot.senders import Sender
from bot.web import WebSetupError
from config.catalogue import load_catalogue
from config.definitions import load_definitions
from config.settings import get_settings
from storage import audit, keys, migrate, outbox, people
from storage.crypto import StoreKeyError, new_key_entry
from storage.models import OutboxStatus, Role

Command = Callable[[App, argparse.Namespace], Awaitable[int]]


class UsageError(Exception):
    """A mistake in what the operator typed; reported on one line, exit status 2."""


def _text(key: str, **params: object) -> str:
    """Terminal prompts come from the catalogues too, in the installation's default language."""
    settings = get_settings()
    return load_catalogue(settings.default_language).text(settings.default_language, key, **params)


def _handle_from(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


async def cmd_migrate(app: App, args: argparse.Namespace) -> int:
    await migrate.upgrade(app.engine)
    await app.open()
    print("database is up to date")
    return 0


async def cmd_orgs_add(app: App, args: argparse.Namespace) -> int:
    types = load_definitions().region.organisation_types
    if args.type not in types:
        raise UsageError(f"unknown organisation type {args.type!r}; choose from: {', '.join(types)}")
    async with app.sessions() as session, session.begin():
        if await people.organisation_named(session, args.name):
            raise UsageError(f"organisation {args.name!r} exists already")
        await people.add_organisation(session, args.name, args.type)
    print(f"added organisation {args.name}")
    return 0


async def cmd_orgs_list(app: App, args: argparse.Namespace) -> int:
    async with app.sessions() as session:
        for organisation in await people.list_organisations(session):
            print(f"{organisation.name}\t{organisation.type}")
    return 0


async def cmd_users_add(app: App, args: argparse.Namespace) -> int:
    handle = args.handle or _handle_from(args.name)
    async with app.sessions() as session, session.begin():
        organisation = await people.organisation_named(session, args.org)
        if organisation is None:
            raise UsageError(f"no organisation named {args.org!r}; add it with 'vhbot orgs add'")
        if await people.professional_by_handle(session, handle):
            raise UsageError(f"handle {handle!r} is taken")
        try:
            await people.add_professional(
                session,
                handle=handle,
                name=args.name,
                organisation=organisation,
                role=Role(args.role),
                now=app.now(),
                matrix_id=args.matrix,
                teams_id=args.teams,
                language=args.lang,
            )
        except IntegrityError as error:
            raise UsageError("that Matrix or Teams id belongs to someone else already") from error
    print(f"added {handle} ({args.role})")
    return 0


async def cmd_users_list(app: App, args: argparse.Namespace) -> int:
    async with app.sessions() as session:
        for person in await people.list_professionals(session):
            organisation = await people.organisation_by_id(session, person.organisation_id)
            state = "active" if person.active else "disabled"
            print(
                f"{person.handle}\t{person.name}\t{organisation.name}\t{person.role.value}\t{person.language}\t{state}"
            )
    return 0


async def cmd_users_disable(app: App, args: argparse.Namespace) -> int:
    async with app.sessions() as session, session.begin():
        person = await people.professional_by_handle(session, args.handle)
        if person is None:
            raise UsageError(f"no user with handle {args.handle!r}")
        person.active = False
    print(f"disabled {args.handle}")
    return 0


async def _offer_demo(app: App) -> list[str]:
    """On an empty store, ask (on a terminal) whether to load the demo people; returns their handles."""
    async with app.sessions() as session, session.begin():
        if await people.count_professionals(session):
            return []
        if not is_interactive():
            return []
        answer = input(_text("terminal.demo_offer")).strip().lower()
        if answer not in ("", "j", "ja", "y", "yes"):
            return []
        return await load_demo(session, app.now())


async def cmd_demo(app: App, args: argparse.Namespace) -> int:
    await migrate.upgrade(app.engine)
    async with app.sessions() as session, session.begin():
        if await people.count_professionals(session):
            raise UsageError("the store has people already; demo data is only loaded into an empty store")
        handles = await load_demo(session, app.now())
    print("demo loaded: " + ", ".join(handles))
    return 0


async def cmd_chat(app: App, args: argparse.Namespace) -> int:
    await migrate.upgrade(app.engine)
    await app.open()
    handles = await _offer_demo(app)
    handle = args.handle
    if handle is None:
        if not is_interactive():
            raise UsageError("say who you are: vhbot chat --as HANDLE")
        if handles:
            print(_text("terminal.demo_people", handles=", ".join(handles)))
        handle = input(_text("terminal.who")).strip()
    channel = TerminalChannel(app.dispatcher, handle)
    deliver = _terminal_delivery(app, channel)
    if is_interactive():
        await run_interactive(channel, _text("terminal.banner", handle=handle), deliver)
    else:
        await run_piped(channel, sys.stdin, sys.stdout, deliver)
    return 0


def _terminal_delivery(app: App, channel: TerminalChannel) -> Deliver:
    """Delivers what is due for whoever is at the terminal now (the person changes with '/als')."""
    engine = DeliveryEngine(app, [TerminalSender(channel, sys.stdout)])

    async def deliver() -> None:
        async with app.sessions() as session:
            person = await people.professional_by_handle(session, channel.handle)
        if person is None:
            return
        while await engine.deliver_due(recipients={person.id}):
            pass

    return deliver


@dataclass
class Channels:
    """What ``serve`` runs: the senders the engine tries in order, and the listeners that take messages in."""

    senders: list[Sender] = field(default_factory=list)
    listeners: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = field(default_factory=list)


def configured_channels(app: App) -> Channels:
    """The channels this installation is configured for, in the order they are tried."""
    channels = Channels()
    if app.settings.matrix_configured:
        matrix = MatrixChannel(app)
        channels.senders.append(MatrixSender(matrix))
        channels.listeners.append(matrix.run)
    if app.settings.teams_configured:
        try:
            teams = TeamsChannel(app)
        except TeamsSetupError as error:
            raise UsageError(str(error)) from None
        channels.senders.append(TeamsSender(teams))
        channels.listeners.append(teams.run)
    if app.settings.public_url and not app.settings.teams_configured:
        channels.listeners.append(FormSite(app).run)  # with Teams, its site serves the form pages too
    if app.settings.recording_file is not None:
        delay = app.settings.recording_delay_ms / 1000
        channels.senders.append(RecordingSender(app.settings.recording_file, delay))
    return channels


async def cmd_serve(app: App, args: argparse.Namespace) -> int:
    """Runs the delivery engine and the configured channels' listeners until stopped."""
    logging.basicConfig(
        level=app.settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    channels = configured_channels(app)
    if not channels.senders:
        raise UsageError(
            "no channel is configured (set VHBOT_MATRIX_HOMESERVER and VHBOT_MATRIX_USER_ID, "
            "VHBOT_TEAMS_APP_ID (or VHBOT_TEAMS_LOCAL=true for the Agents Playground), "
            "or VHBOT_RECORDING_FILE for a dry run)"
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    engine = DeliveryEngine(app, channels.senders)
    names = ", ".join(sender.name for sender in channels.senders)
    print(f"vhbot serve: delivering through {names} as {engine.owner}", flush=True)
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(engine.run(stop))
            for listen in channels.listeners:
                group.create_task(listen(stop))
    except* (MatrixSetupError, TeamsSetupError, WebSetupError) as errors:
        raise UsageError(str(errors.exceptions[0])) from None
    print("vhbot serve: stopped", flush=True)
    return 0


async def cmd_outbox(app: App, args: argparse.Namespace) -> int:
    """For an operator: how many rows per status, then the failed, the late and the next pending ones."""
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
    """The audit trail of one case or one person as CSV, for the privacy officer; the export is audited too."""
    number = args.case.upper() if args.case else None
    async with app.sessions() as session, session.begin():
        actor_id = None
        if args.user:
            person = await people.professional_by_handle(session, args.user)
            if person is None:
                raise UsageError(f"no user with handle {args.user!r}")
            actor_id = person.id
        entries = await audit.export(session, case_number=number, actor_id=actor_id)
        await audit.record(
            session,
            at=app.now(),
            actor_id=None,
            on_behalf_of="vhbot audit (command line)",
            event="audit.export.case" if number else "audit.export.user",
            case_number=number,
            channel="cli",
        )
    writer = csv.writer(sys.stdout)
    writer.writerow(["at_utc", "who", "on_behalf_of", "event", "case", "channel"])
    for entry, handle in entries:
        at = entry.at.astimezone(UTC).isoformat(timespec="seconds")
        writer.writerow(
            [at, handle or "", entry.on_behalf_of or "", entry.event, entry.case_number or "", entry.channel]
        )
    return 0


async def cmd_teams_manifest(app: App, args: argparse.Namespace) -> int:
    """The app package to upload in Teams (Teams admin center, or 'Upload a custom app')."""
    if not re.fullmatch(
        r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", args.app_id
    ):
        raise UsageError("--app-id is the bot's Microsoft app (client) id, a GUID")
    for url in (args.website_url, args.privacy_url, args.terms_url):
        if not url.startswith("https://"):
            raise UsageError(f"Teams only accepts https addresses: {url}")
    if len(args.publisher) > 32:
        raise UsageError("--publisher is shown in Teams' store and may be at most 32 characters")
    publisher = Publisher(args.publisher, args.website_url, args.privacy_url, args.terms_url)
    args.out.write_bytes(package(args.app_id, args.version, publisher, app.texts))
    print(f"wrote {args.out}: upload it in Teams (Apps → Manage your apps → Upload an app)")
    return 0


async def cmd_purge(app: App, args: argparse.Namespace) -> int:
    """Retention by hand (``vhbot serve`` runs it daily); ``--dry-run`` only shows what would go."""
    found = await retention.purge(app, dry_run=args.dry_run, channel="cli")
    verb = "would purge" if args.dry_run else "purged"
    print(
        f"{verb} {len(found.cases)} closed case(s) (closed more than {app.settings.retention_months} months ago)"
    )
    for number in found.cases:
        print(f"  {number}")
    print(
        f"{verb} {found.dialogues} expired dialogues, {found.inbound_messages} handled-message records, "
        f"{found.subject_forms} old form links, {found.audit_entries} audit entries"
    )
    return 0


async def cmd_keys_new(app: App, args: argparse.Namespace) -> int:
    """A fresh key entry, for installations that keep their keys in VHBOT_ENCRYPTION_KEYS or a secret store."""
    print(new_key_entry())
    return 0


async def cmd_keys_rotate(app: App, args: argparse.Namespace) -> int:
    """Everything re-encrypted under a new key while the bot keeps running; the old keys are retired."""
    from_file = app.settings.encryption_keys is None
    report = await keys.rotate(app.engine, app.keyring, app.now(), new_key=from_file, pause=args.pause)
    print(f"re-encrypted {report.re_encrypted} values with key {report.new_key}")
    if report.retired:
        print(
            f"no value uses {', '.join(report.retired)} any more: remove it from {app.keyring.source} once no "
            "backup made with it is kept"
        )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vhbot", description="vhbot: chat assistant for a Zorg- en Veiligheidshuis"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create or upgrade the schema").set_defaults(run=cmd_migrate)
    commands.add_parser("demo", help="load demo organisations and people into an empty store").set_defaults(
        run=cmd_demo
    )

    orgs = commands.add_parser("orgs", help="organisations").add_subparsers(dest="action", required=True)
    add_org = orgs.add_parser("add")
    add_org.add_argument("name")
    add_org.add_argument("--type", required=True)
    add_org.set_defaults(run=cmd_orgs_add)
    orgs.add_parser("list").set_defaults(run=cmd_orgs_list)

    users = commands.add_parser("users", help="professionals").add_subparsers(dest="action", required=True)
    add_user = users.add_parser("add")
    add_user.add_argument("--name", required=True)
    add_user.add_argument("--org", required=True)
    add_user.add_argument("--role", required=True, choices=[role.value for role in Role])
    add_user.add_argument("--handle")
    add_user.add_argument("--matrix")
    add_user.add_argument("--teams")
    add_user.add_argument("--lang", choices=["nl", "en"], default="nl")
    add_user.set_defaults(run=cmd_users_add)
    users.add_parser("list").set_defaults(run=cmd_users_list)
    disable = users.add_parser("disable")
    disable.add_argument("handle")
    disable.set_defaults(run=cmd_users_disable)

    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--as", dest="handle")
    chat.set_defaults(run=cmd_chat)

    commands.add_parser("serve", help="run the delivery engine and the configured channels").set_defaults(
        run=cmd_serve
    )
    listing = commands.add_parser("outbox", help="pending, late and failed outgoing messages")
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(run=cmd_outbox)

    app_package = commands.add_parser("teams-manifest", help="write the Teams app package (zip) to upload")
    app_package.add_argument("--app-id", required=True, help="the bot's Microsoft app (client) id")
    app_package.add_argument("--out", required=True, type=Path, help="where to write the .zip")
    app_package.add_argument(
        "--version", default="1.0.0", help="the app's version; raise it for every upload"
    )
    app_package.add_argument("--publisher", default="Zorg- en Veiligheidshuis", help="at most 32 characters")
    app_package.add_argument("--website-url", required=True, help="https address of the ZVH's website")
    app_package.add_argument("--privacy-url", required=True, help="https address of the privacy statement")
    app_package.add_argument("--terms-url", required=True, help="https address of the terms of use")
    app_package.set_defaults(run=cmd_teams_manifest, store=False)

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

    trail = commands.add_parser("audit", help="export the audit trail of a case or a person as CSV")
    which = trail.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", help="case number, e.g. VH-2026-0042")
    which.add_argument("--user", help="handle of a professional")
    trail.set_defaults(run=cmd_audit)
    return parser


async def _run(args: argparse.Namespace) -> int:
    app = build_app(get_settings())
    try:
        if getattr(args, "store", True):
            await app.open()
        result: int = await args.run(app, args)
        return result
    finally:
        await app.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return run(_run(args))
    except (UsageError, StoreKeyError) as error:
        print(f"vhbot: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
