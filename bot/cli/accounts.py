"""The life of an account after it is added: ``users set`` (role, organisation, ids, language, active), ``users
disable``, and ``users review`` (accounts unused for months or gone from Teams, disabled in one step with
``--disable``)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from bot.cli.addresses import CHANNELS, typed_address
from bot.cli.common import NONE, SubParsers, UsageError, audit_command, refuse_formula
from bot.cli.gemeenten import assign, read_gemeenten
from bot.cli.user_rows import LANGUAGES, ROLES

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.app import App
    from storage.models import Professional

_COMMAND_LINE = "vhbot users (command line)"
GEMEENTEN_HELP = (
    "a procesregisseur's gemeenten, comma-separated ('Baarn,Soest', or 'none'): they are its aandachtsfunctionaris"
    " and hear of its new referrals first"
)


async def _person(session: AsyncSession, handle: str) -> Professional:
    from storage import people

    person = await people.professional_by_handle(session, handle)
    if person is None:
        raise UsageError(f"no user with handle {handle!r}")
    return person


async def _disable(session: AsyncSession, app: App, person: Professional) -> int:
    from handlers import accounts

    return await accounts.disable(session, person, app.now(), by=_COMMAND_LINE, channel="cli")


async def cmd_users_set(app: App, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import IntegrityError

    from storage import people
    from storage.models import ChannelAddress, Role

    changed: list[str] = []
    handed = 0
    async with app.sessions() as session, session.begin():
        person = await _person(session, args.handle)
        if args.name is not None:
            refuse_formula("name", args.name)
            person.name = args.name
            changed.append("name")
        if args.org is not None:
            organisation = await people.organisation_named(session, args.org)
            if organisation is None:
                raise UsageError(f"no organisation named {args.org!r}")
            person.organisation_id = organisation.id
            changed.append("organisation")
        if args.role is not None:
            person.role = Role(args.role)
            changed.append("role")
        if args.lang is not None:
            person.language = args.lang
            changed.append("language")
        for channel in CHANNELS:
            value = getattr(args, channel)
            if value is None:
                continue
            address = None if value == NONE else typed_address(channel, value)
            person.addresses = [item for item in person.addresses if item.channel != channel]
            await session.flush()
            if address is not None:
                person.addresses.append(ChannelAddress(channel=channel, address=address))
            changed.append(channel)
        if args.gemeenten is not None:
            changed.append(await assign(session, person, read_gemeenten(args.gemeenten)))
        if args.active is not None:
            if args.active == "no" and person.active:
                handed = await _disable(session, app, person)
            person.active = args.active == "yes"
            changed.append("active")
        if not changed:
            raise UsageError("nothing to change: give at least one of the options (see --help)")
        try:
            await session.flush()
        except IntegrityError as error:
            raise UsageError("that id or e-mail address belongs to someone else already") from error
        await audit_command(session, app, "users set", "users.set")
    print(
        f"changed {args.handle}: {', '.join(changed)}"
        + (f"; {handed} open action(s) handed on" if handed else "")
    )
    return 0


async def cmd_users_disable(app: App, args: argparse.Namespace) -> int:
    async with app.sessions() as session, session.begin():
        person = await _person(session, args.handle)
        if not person.active:
            raise UsageError(f"{args.handle} is disabled already")
        handed = await _disable(session, app, person)
        await audit_command(session, app, "users disable", "users.disable")
    print(f"disabled {args.handle}; {handed} open action(s) handed to the procesregisseur of each case")
    return 0


async def cmd_users_review(app: App, args: argparse.Namespace) -> int:
    from handlers import accounts

    months = app.settings.inactive_months
    async with app.sessions() as session, session.begin():
        found = await accounts.to_review(session, app.now(), months)
        for item in found:
            person = item.person
            seen = person.last_seen_at.date().isoformat() if person.last_seen_at else "never"
            why = "gone from Teams" if item.gone else f"last used: {seen}"
            print(f"{person.handle}\t{person.role.value}\t{why}")
        handed = 0
        if args.disable:
            for item in found:
                handed += await _disable(session, app, item.person)
            await audit_command(session, app, "users review --disable", "users.disable")
    if not found:
        print(f"no account unused for {months} months or gone from Teams")
    elif args.disable:
        print(f"disabled {len(found)} account(s); {handed} open action(s) handed on")
    else:
        print(f"{len(found)} account(s) to review; run again with --disable to disable them all")
    return 0


def register_users(users: SubParsers) -> None:
    setting = users.add_parser(
        "set", help="change a professional's role, organisation, ids, language or access"
    )
    setting.add_argument("handle")
    setting.add_argument("--name")
    setting.add_argument("--org")
    setting.add_argument("--role", choices=ROLES)
    setting.add_argument("--lang", choices=LANGUAGES)
    for channel, what in (("email", "e-mail address"), ("matrix", "Matrix id"), ("teams", "Teams object id")):
        setting.add_argument(f"--{channel}", help=f"the {what}, or '{NONE}' to remove it")
    setting.add_argument("--active", choices=["yes", "no"], help="no: disable (open actions are handed on)")
    setting.add_argument("--gemeenten", help=GEMEENTEN_HELP)
    setting.set_defaults(run=cmd_users_set)
    disable = users.add_parser("disable", help="disable an account; its open actions are handed on")
    disable.add_argument("handle")
    disable.set_defaults(run=cmd_users_disable)
    review = users.add_parser("review", help="accounts unused for VHBOT_INACTIVE_MONTHS, or gone from Teams")
    review.add_argument("--disable", action="store_true", help="disable every account listed")
    review.set_defaults(run=cmd_users_review)
