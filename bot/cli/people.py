"""Organisations and professionals: who may use the bot; and the demo people for trying it out."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.accounts import GEMEENTEN_HELP, register_users
from bot.cli.addresses import CHANNELS, HOMESERVER, TEAMS_ID, typed_address
from bot.cli.common import NONE, SubParsers, UsageError, audit_command, refuse_formula
from bot.cli.gemeenten import assign, read_gemeenten
from bot.cli.user_rows import ROLES
from storage.handles import handle_from

if TYPE_CHECKING:
    from bot.app import App


def check_type(type_: str) -> None:
    from config.definitions import load_definitions

    types = load_definitions().region.organisation_types
    if type_ not in types:
        raise UsageError(f"unknown organisation type {type_!r}; choose from: {', '.join(types)}")


async def cmd_orgs_add(app: App, args: argparse.Namespace) -> int:
    from storage import people

    refuse_formula("organisation name", args.name)
    check_type(args.type)
    async with app.sessions() as session, session.begin():
        if await people.organisation_named(session, args.name):
            raise UsageError(f"organisation {args.name!r} exists already")
        await people.add_organisation(session, args.name, args.type)
    print(f"added organisation {args.name}")
    return 0


async def cmd_orgs_list(app: App, args: argparse.Namespace) -> int:
    from storage import people

    async with app.sessions() as session:
        for organisation in await people.list_organisations(session):
            homes = [organisation.teams_tenant or "-", organisation.matrix_server or "-"]
            print("\t".join([organisation.name, organisation.type, *homes]))
    return 0


async def cmd_orgs_set(app: App, args: argparse.Namespace) -> int:
    """An organisation's type, and where its people come from (its Teams tenant, its Matrix homeserver)."""
    from storage import people

    async with app.sessions() as session, session.begin():
        organisation = await people.organisation_named(session, args.name)
        if organisation is None:
            raise UsageError(f"no organisation named {args.name!r}")
        if args.type is not None:
            check_type(args.type)
            organisation.type = args.type
        if args.teams_tenant is not None:
            tenant = None if args.teams_tenant == NONE else args.teams_tenant.lower()
            if tenant is not None and not TEAMS_ID.match(tenant):
                raise UsageError(f"{args.teams_tenant!r} is no Microsoft 365 tenant id")
            organisation.teams_tenant = tenant
        if args.matrix_server is not None:
            server = None if args.matrix_server == NONE else args.matrix_server.lower()
            if server is not None and not HOMESERVER.match(server):
                raise UsageError(f"{args.matrix_server!r} is no homeserver name like matrix.example.nl")
            organisation.matrix_server = server
        await audit_command(session, app, "orgs set", "orgs.set")
    print(f"changed organisation {organisation.name}")
    return 0


async def cmd_users_add(app: App, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import IntegrityError

    from storage import people
    from storage.models import Role

    refuse_formula("name", args.name)
    handle = args.handle or handle_from(args.name)
    refuse_formula("handle", handle)
    addresses = {channel: typed_address(channel, getattr(args, channel)) for channel in CHANNELS}
    gemeenten = read_gemeenten(args.gemeenten or "")
    said = ""
    async with app.sessions() as session, session.begin():
        organisation = await people.organisation_named(session, args.org)
        if organisation is None:
            raise UsageError(f"no organisation named {args.org!r}; add it with 'vhbot orgs add'")
        if await people.professional_by_handle(session, handle):
            raise UsageError(f"handle {handle!r} is taken")
        try:
            person = await people.add_professional(
                session,
                handle=handle,
                name=args.name,
                organisation=organisation,
                role=Role(args.role),
                now=app.now(),
                matrix_id=addresses["matrix"],
                teams_id=addresses["teams"],
                email=addresses["email"],
                language=args.lang,
            )
        except IntegrityError as error:
            raise UsageError(
                "that Matrix or Teams id or e-mail address belongs to someone else already"
            ) from error
        if gemeenten:
            said = f"; {await assign(session, person, gemeenten)}"
    print(f"added {handle} ({args.role}){said}")
    return 0


async def cmd_users_import(app: App, args: argparse.Namespace) -> int:
    """Professionals from a CSV file (name, organisation, role; handle, email, matrix, teams, language optional): every
    bad row reported with its line, and then nothing imported; otherwise all of them, in one transaction. With
    ``--sync`` the file is the master list: the store is made to match it (``bot.cli.user_sync``)."""
    import csv
    import io
    import sys

    from sqlalchemy import select

    from bot.cli import user_sync
    from bot.cli.user_rows import Known, read_rows
    from config.definitions import load_definitions
    from storage import people
    from storage.models import ChannelAddress

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {args.file}: {type(error).__name__}") from None
    replaced: set[str] = set()  # with --sync: the accounts the file describes anew
    if args.sync:
        raw = list(csv.DictReader(io.StringIO(text)))
        if raw and "handle" not in raw[0]:
            raise UsageError("--sync matches accounts by handle: the file needs a 'handle' column")
        replaced = user_sync.listed_handles(raw)
    async with app.sessions() as session, session.begin():
        organisations = {org.name: org for org in await people.list_organisations(session)}
        stored = await people.list_professionals(session)
        kept = {person.id for person in stored if person.handle not in replaced}
        addresses = (
            await session.execute(
                select(ChannelAddress.channel, ChannelAddress.address, ChannelAddress.professional_id)
            )
        ).all()
        linked = {
            kind: {address for channel, address, owner in addresses if channel == kind and owner in kept}
            for kind in ("matrix", "teams", people.EMAIL)
        }
        known = Known(
            set(organisations),
            {person.handle for person in stored if person.id in kept},
            linked["matrix"],
            linked["teams"],
            linked[people.EMAIL],
            load_definitions().region.gemeenten,
        )
        rows, problems = read_rows(io.StringIO(text), known)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            raise UsageError(f"{len(problems)} problem(s) in {args.file}; nothing was imported")
        if args.sync:
            changes = user_sync.plan(rows, stored)
            if args.dry_run:
                gone = f"; would disable: {', '.join(changes.disabled)}" if changes.disabled else ""
                print(f"would be: {changes.summary()}{gone}; nothing was changed (--dry-run)")
                return 0
            await user_sync.apply(session, app, rows, stored, organisations)
            await audit_command(session, app, "users import --sync", "users.sync")
            print(changes.summary())
            return 0
        if args.dry_run:
            print(f"{len(rows)} professional(s) would be added; nothing was imported (--dry-run)")
            return 0
        for row in rows:
            await user_sync.add(session, app, row, organisations)
        await audit_command(session, app, "users import", "users.import")
    print(f"imported {len(rows)} professional(s)")
    return 0


async def cmd_users_list(app: App, args: argparse.Namespace) -> int:
    """One line per professional; a procesregisseur's gemeenten (aandachtsfunctionaris) last."""
    from storage import gemeenten, people

    async with app.sessions() as session:
        contacts = await gemeenten.by_contact(session)
        for person in await people.list_professionals(session):
            organisation = await people.organisation_by_id(session, person.organisation_id)
            state = "active" if person.active else "disabled"
            areas = f"\t{','.join(contacts[person.id])}" if person.id in contacts else ""
            print(
                f"{person.handle}\t{person.name}\t{organisation.name}\t{person.role.value}\t{person.language}\t{state}"
                f"{areas}"
            )
    return 0


async def cmd_invites_new(app: App, args: argparse.Namespace) -> int:
    """A code to join the organisation as melder, printed once (the store keeps a keyed hash of it)."""
    from datetime import timedelta

    from storage import invites, people

    if args.uses < 1 or args.days < 1:
        raise UsageError("--uses and --days must be at least 1")
    async with app.sessions() as session, session.begin():
        organisation = await people.organisation_named(session, args.org)
        if organisation is None:
            raise UsageError(f"no organisation named {args.org!r}")
        expires = app.now() + timedelta(days=args.days)
        code = await invites.new(
            session, organisation.id, args.uses, expires, app.now(), "vhbot invites (command line)"
        )
        await audit_command(session, app, "invites", "invite.new")
    print(f"{code}\tfor {organisation.name}, {args.uses} use(s), until {expires:%Y-%m-%d %H:%M}Z")
    return 0


async def cmd_demo(app: App, args: argparse.Namespace) -> int:
    from bot.demo import load_demo
    from storage import migrate, people

    await migrate.upgrade(app.engine)
    async with app.sessions() as session, session.begin():
        if await people.count_professionals(session):
            raise UsageError("the store has people already; demo data is only loaded into an empty store")
        handles = await load_demo(session, app.now())
    print("demo loaded: " + ", ".join(handles))
    return 0


def register(commands: SubParsers) -> None:
    commands.add_parser("demo", help="load demo organisations and people into an empty store").set_defaults(
        run=cmd_demo
    )
    orgs = commands.add_parser("orgs", help="organisations").add_subparsers(dest="action", required=True)
    add_org = orgs.add_parser("add")
    add_org.add_argument("name")
    add_org.add_argument("--type", required=True)
    add_org.set_defaults(run=cmd_orgs_add)
    orgs.add_parser("list").set_defaults(run=cmd_orgs_list)
    setting = orgs.add_parser("set", help="an organisation's type, Teams tenant and Matrix homeserver")
    setting.add_argument("name")
    setting.add_argument("--type")
    setting.add_argument("--teams-tenant", help=f"its Microsoft 365 tenant id, or '{NONE}'")
    setting.add_argument("--matrix-server", help=f"its Matrix homeserver name, or '{NONE}'")
    setting.set_defaults(run=cmd_orgs_set)

    users = commands.add_parser("users", help="professionals").add_subparsers(dest="action", required=True)
    add_user = users.add_parser("add")
    add_user.add_argument("--name", required=True)
    add_user.add_argument("--org", required=True)
    add_user.add_argument("--role", required=True, choices=ROLES)
    add_user.add_argument("--handle")
    add_user.add_argument("--matrix")
    add_user.add_argument("--teams")
    add_user.add_argument("--email", help="linked to their Teams or Matrix account when they first write")
    add_user.add_argument("--lang", choices=["nl", "en"], default="nl")
    add_user.add_argument("--gemeenten", help=GEMEENTEN_HELP)
    add_user.set_defaults(run=cmd_users_add)
    users.add_parser("list").set_defaults(run=cmd_users_list)
    importing = users.add_parser("import", help="professionals from a CSV file, all or none")
    importing.add_argument("file")
    importing.add_argument("--dry-run", action="store_true", help="check the file and import nothing")
    importing.add_argument(
        "--sync",
        action="store_true",
        help="the file is the master list: add who is new, update who is there (by handle), disable the rest",
    )
    importing.set_defaults(run=cmd_users_import)
    invites = commands.add_parser("invites", help="codes to join an organisation as melder").add_subparsers(
        dest="action", required=True
    )
    new_invite = invites.add_parser("new")
    new_invite.add_argument("--org", required=True)
    new_invite.add_argument("--uses", type=int, default=1)
    new_invite.add_argument("--days", type=int, default=14)
    new_invite.set_defaults(run=cmd_invites_new)
    register_users(users)
