"""The betrokkene's rights, for the operator a ZVH's privacy officer asks (AVG art. 15-18, the WGS's bewaartermijn):
find their cases, give inzage, extend a term, restrict, lift, erase. The chat stays for professionals.

Every command needs a reason (a purpose, a ground, a decision), keeps it encrypted with the decision
(storage.privacy) and leaves an audit entry; a reason that is empty is refused before anything is read.
"""

from __future__ import annotations

import argparse
import getpass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.cli.common import SubParsers, UsageError, audit_command

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.app import App
    from storage.models import Case
    from storage.privacy import Decision

COMMAND = "betrokkene"
# What of a case's content a betrokkene can dispute (the catalogue's [dispute] names each).
DISPUTABLE = ("doel", "leefgebieden", "ketens", "geinformeerd", "verloop", "acties", "terugkoppeling")


def _reason(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("may not be empty: say why")
    return value.strip()


def _operator() -> str:
    """Who ran the command: the account on this machine (the audit trail says it was the command line)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


async def _record(
    session: AsyncSession,
    app: App,
    kind: Decision,
    event: str,
    number: str | None,
    reason: str,
    reference: str | None = None,
    until: datetime | None = None,
) -> None:
    from storage import privacy

    await privacy.decide(session, kind, number, _operator(), reason, app.now(), reference, until)
    await audit_command(session, app, f"{COMMAND} {kind.value}", event, number)


async def _case(session: AsyncSession, number: str) -> Case:
    from storage import cases

    case = await cases.by_number(session, number.strip().upper())
    if case is None:
        raise UsageError(f"there is no case {number.strip().upper()} in this store")
    return case


def _birth_date(text: str, app: App) -> str:
    from handlers.identifying.submission import read_birth_date

    born = read_birth_date(text.strip(), app.now().date())
    if isinstance(born, str):
        raise UsageError(f"--birth-date {text!r} is not a date of birth (as 29-02-1980 or 1980-02-29)")
    return born.isoformat()


async def cmd_search(app: App, args: argparse.Namespace) -> int:
    from storage import subject_search
    from storage.privacy import Decision

    if (args.number is None) == (args.name is None):
        raise UsageError("give either --number, or --name with --birth-date")
    async with app.sessions() as session, session.begin():
        if args.number is not None:
            found = [await _case(session, args.number)]
        else:
            if args.birth_date is None:
                raise UsageError("--name needs --birth-date: a name alone finds too many people")
            born = _birth_date(args.birth_date, app)
            found = list(await subject_search.cases_of(session, args.name, born))
        await _record(session, app, Decision.SEARCH, "betrokkene.search", None, args.purpose)
        for case in found:
            await audit_command(session, app, f"{COMMAND} zoek", "betrokkene.found", case.number)
    if not found:
        print("no case found for this betrokkene")
    for case in found:
        print(f"{case.number}  {case.state.value}")
    return 0


def _withheld(pairs: list[str]) -> dict[str, str]:
    from bot.inzage import PARTS

    withheld = {}
    for pair in pairs:
        part, _, ground = pair.partition("=")
        if part not in PARTS or not ground.strip():
            raise UsageError(f"--withhold takes PART=GROUND, PART one of {', '.join(PARTS)}; got {pair!r}")
        withheld[part] = ground.strip()
    return withheld


async def cmd_inzage(app: App, args: argparse.Namespace) -> int:
    from bot import inzage
    from bot.retention import terms_of
    from storage.privacy import Decision

    withheld = _withheld(args.withhold)
    if not args.out.parent.is_dir():
        raise UsageError(f"--out: {args.out.parent} is not a folder")
    async with app.sessions() as session, session.begin():
        numbers = [(await _case(session, number)).number for number in args.numbers]
        export = await inzage.build(
            session,
            numbers,
            app.texts,
            ZoneInfo(app.settings.timezone),
            app.now(),
            terms_of(app.settings),
            withheld,
        )
        grounds = "; ".join(f"{part} withheld: {ground}" for part, ground in withheld.items())
        for number in numbers:
            await _record(
                session, app, Decision.INZAGE, "betrokkene.inzage", number, args.purpose, grounds or None
            )
    document, data = inzage.write(export, args.out, app.texts)
    print(f"wrote {document} and {data} (readable by you only)")
    if withheld:
        print(f"withheld, with the ground stated in the export: {', '.join(withheld)}")
    return 0


async def cmd_correct(app: App, args: argparse.Namespace) -> int:
    """Corrected details (AVG art. 16); the earlier ones are kept, encrypted, only with the decision."""
    from bot.cli.common import refuse_formula
    from storage import subjects

    if args.name is None and args.birth_date is None and args.address is None:
        raise UsageError("give what is corrected: --name, --birth-date and/or --address")
    for what, value in (("name", args.name), ("address", args.address)):
        if value is not None:
            refuse_formula(what, value)
    async with app.sessions() as session, session.begin():
        case = await _case(session, args.number)
        found = await subjects.details(session, case.id)
        entered_by = await subjects.entered_by(session, case.id)
        if found is None or entered_by is None:
            raise UsageError(f"{case.number} has no identifying details to correct")
        corrected = subjects.SubjectDetails(
            args.name.strip() if args.name is not None else found.name,
            _birth_date(args.birth_date, app) if args.birth_date is not None else found.birth_date,
            args.address.strip() if args.address is not None else found.address,
        )
        await subjects.record(session, case.id, corrected, entered_by, app.now(), _operator(), args.reason)
        await audit_command(session, app, f"{COMMAND} corrigeer", "case.subject.corrected", case.number)
    print(f"the details of {case.number} are corrected; the earlier ones are kept only with the decision")
    return 0


async def cmd_dispute(app: App, args: argparse.Namespace) -> int:
    """The betrokkene disputes a statement (AVG art. 16): it is not rewritten, it gets a note in the case view."""
    from storage.privacy import Decision

    async with app.sessions() as session, session.begin():
        case = await _case(session, args.number)
        on = app.now().isoformat()
        case.disputes = [*(case.disputes or []), {"part": args.part, "on": on}]
        await _record(session, app, Decision.DISPUTE, "case.disputed", case.number, args.reason, args.part)
    print(f"{case.number}: '{args.part}' is marked as disputed by the betrokkene in the case view")
    return 0


async def cmd_extend(app: App, args: argparse.Namespace) -> int:
    from bot.retention import terms_of
    from storage import privacy
    from storage.privacy import Decision

    tz = ZoneInfo(app.settings.timezone)
    until = datetime.combine(args.until, time(23, 59), tzinfo=tz)
    if until <= app.now():
        raise UsageError("--until must be a day still to come")
    async with app.sessions() as session, session.begin():
        case = await _case(session, args.number)
        case.retain_until = until
        await _record(
            session, app, Decision.EXTENSION, "case.retention.extended", case.number, args.reason, None, until
        )
        moment = privacy.purge_moment(case, terms_of(app.settings))
    when = "its closing" if moment is None else moment.astimezone(tz).strftime("%d-%m-%Y")
    print(f"{case.number} is kept until {until:%d-%m-%Y} at least; the purge takes it after {when}")
    return 0


async def cmd_going(app: App, args: argparse.Namespace) -> int:
    from bot.retention import terms_of
    from storage import privacy
    from storage.privacy import Decision

    tz = ZoneInfo(app.settings.timezone)
    async with app.sessions() as session, session.begin():
        going = await privacy.going_within(session, app.now(), args.days, terms_of(app.settings))
        await _record(session, app, Decision.LISTING, "retention.listed", None, args.purpose)
    print(f"{len(going)} {'case goes' if len(going) == 1 else 'cases go'} in the next {args.days} days")
    for item in going:
        extended = "  (term extended)" if item.extended else ""
        print(f"  {item.number}  {item.at.astimezone(tz):%d-%m-%Y}{extended}")
    return 0


async def _restriction(app: App, args: argparse.Namespace, restrict: bool) -> int:
    from storage.privacy import Decision

    async with app.sessions() as session, session.begin():
        case = await _case(session, args.number)
        if (case.restricted_at is not None) == restrict:
            raise UsageError(f"{case.number} is {'already' if restrict else 'not'} restricted")
        case.restricted_at = app.now() if restrict else None
        kind, event = (
            (Decision.RESTRICTION, "case.restricted")
            if restrict
            else (Decision.LIFTED, "case.restriction.lifted")
        )
        await _record(session, app, kind, event, case.number, args.reason)
    if restrict:
        print(f"{case.number} is restricted: nobody sees, changes or is reminded of it until it is lifted")
    else:
        print(f"{case.number} is no longer restricted")
    return 0


async def cmd_restrict(app: App, args: argparse.Namespace) -> int:
    return await _restriction(app, args, restrict=True)


async def cmd_lift(app: App, args: argparse.Namespace) -> int:
    return await _restriction(app, args, restrict=False)


async def cmd_erase(app: App, args: argparse.Namespace) -> int:
    from storage import privacy
    from storage.privacy import Decision

    async with app.sessions() as session, session.begin():
        case = await _case(session, args.number)
        await privacy.delete_cases(session, [case.number])
        await _record(session, app, Decision.ERASURE, "case.erased", case.number, args.reason, args.decision)
    await privacy.wipe_free_space(app.engine)
    print(
        f"{case.number} is erased, with everything that hung off it; the audit trail keeps that it was, and why"
    )
    return 0


async def cmd_register(app: App, args: argparse.Namespace) -> int:
    """The processing record for this installation's settings, for the verwerkingsregister and a DPIA."""
    from bot.processing_record import record
    from config.definitions import load_definitions

    print(record(app.settings, load_definitions()), end="")
    return 0


def register(commands: SubParsers) -> None:
    group = commands.add_parser(
        COMMAND, help="a betrokkene's rights: search, inzage, terms, restriction, erasure"
    )
    actions = group.add_subparsers(dest="action", required=True)

    search = actions.add_parser("zoek", help="find a betrokkene's cases (open and closed)")
    search.add_argument("--number", help="a case number")
    search.add_argument("--name", help="the name as typed in the details form")
    search.add_argument("--birth-date", help="with --name: the date of birth (29-02-1980 or 1980-02-29)")
    search.add_argument(
        "--purpose", required=True, type=_reason, help="why (audited), e.g. 'inzageverzoek 2026-14'"
    )
    search.set_defaults(run=cmd_search)

    access = actions.add_parser("inzage", help="export everything held about the betrokkene of these cases")
    access.add_argument("numbers", nargs="+", metavar="NUMBER")
    access.add_argument("--out", type=Path, required=True, help="writes OUT.html and OUT.json, mode 0600")
    access.add_argument("--purpose", required=True, type=_reason, help="why (audited)")
    access.add_argument(
        "--withhold",
        action="append",
        default=[],
        metavar="PART=GROUND",
        help="leave a part out, on this ground",
    )
    access.set_defaults(run=cmd_inzage)

    correct = actions.add_parser("corrigeer", help="correct the identifying details (AVG art. 16)")
    correct.add_argument("number")
    correct.add_argument("--name")
    correct.add_argument("--birth-date")
    correct.add_argument("--address")
    correct.add_argument("--reason", required=True, type=_reason)
    correct.set_defaults(run=cmd_correct)

    dispute = actions.add_parser("betwist", help="mark part of a case as disputed by the betrokkene")
    dispute.add_argument("number")
    dispute.add_argument("--part", required=True, choices=DISPUTABLE)
    dispute.add_argument("--reason", required=True, type=_reason, help="what the betrokkene says")
    dispute.set_defaults(run=cmd_dispute)

    extend = actions.add_parser("verleng", help="keep a case past its bewaartermijn until a date")
    extend.add_argument("number")
    extend.add_argument("--until", required=True, type=_day, help="YYYY-MM-DD")
    extend.add_argument("--reason", required=True, type=_reason)
    extend.set_defaults(run=cmd_extend)

    going = actions.add_parser("termijnen", help="the cases the purge takes in the coming days")
    going.add_argument("--days", type=int, default=30)
    going.add_argument("--purpose", required=True, type=_reason, help="why (audited)")
    going.set_defaults(run=cmd_going)

    for name, run, what in (
        ("beperk", cmd_restrict, "restrict a case (AVG art. 18): kept, shown to nobody"),
        ("ophef", cmd_lift, "lift a case's restriction"),
    ):
        restriction = actions.add_parser(name, help=what)
        restriction.add_argument("number")
        restriction.add_argument("--reason", required=True, type=_reason)
        restriction.set_defaults(run=run)

    actions.add_parser(
        "register", help="print the processing record (verwerkingsregister) of this installation"
    ).set_defaults(run=cmd_register, store=False)

    erase = actions.add_parser("wis", help="erase a case before its term, on a decided request (AVG art. 17)")
    erase.add_argument("number")
    erase.add_argument("--reason", required=True, type=_reason)
    erase.add_argument("--decision", required=True, type=_reason, help="the decision's reference")
    erase.set_defaults(run=cmd_erase)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("a day as YYYY-MM-DD") from None
