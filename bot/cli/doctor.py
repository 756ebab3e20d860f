"""``vhbot doctor``: what an operator checks before going live, in plain words, one line each: the settings, the
key file, the store and its schema, the public address, each configured channel's credentials and the send
window. Exits 1 when something is wrong; it changes nothing."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.cli.common import SubParsers

if TYPE_CHECKING:
    from bot.app import App


@dataclass(frozen=True)
class Finding:
    ok: bool
    line: str


async def _store(app: App) -> Finding:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from storage.crypto import StoreKeyError
    from storage.revisions import head_revision

    head = head_revision()
    try:
        async with app.engine.connect() as connection:
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except (SQLAlchemyError, OSError) as error:
        return Finding(False, f"the store cannot be read ({type(error).__name__}); run 'vhbot migrate' once")
    if version != head:
        return Finding(
            False, f"the store's schema is at {version}, this version needs {head}: run 'vhbot migrate'"
        )
    try:
        await app.open(announce=False)
    except StoreKeyError as error:
        return Finding(False, str(error))
    return Finding(True, f"the store answers, its schema is current ({head}) and its keys are configured")


async def _audit_grants(app: App) -> Finding:
    """Whether the configured database role could undo the audit trail (PostgreSQL; README: PostgreSQL roles)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    if app.engine.dialect.name != "postgresql":
        return Finding(True, "the audit trail is in SQLite: as safe as the file's permissions")
    query = text(
        "SELECT current_user, pg_get_userbyid(c.relowner) = current_user,"
        " has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE')"
        " FROM pg_class c WHERE c.oid = to_regclass('audit_entries')"
    )
    try:
        async with app.engine.connect() as connection:
            found = (await connection.execute(query)).first()
    except (SQLAlchemyError, OSError):
        return Finding(False, "the audit table's grants cannot be read")
    if found is None:
        return Finding(False, "no audit table yet: run 'vhbot migrate'")
    role, owns, may_delete = found
    purges = app.settings.audit_retention_months is not None
    if owns:
        return Finding(
            False,
            f"role {role} owns the audit table: it could grant itself DELETE again and drop its trigger",
        )
    if may_delete and not purges:
        return Finding(
            False, f"role {role} may delete audit entries: revoke DELETE and TRUNCATE on audit_entries"
        )
    if purges and not may_delete:
        return Finding(
            False,
            f"VHBOT_AUDIT_RETENTION_MONTHS is set but role {role} may not delete audit entries: set it only "
            "where the purge's role runs 'vhbot purge'",
        )
    what = "purges audit entries past their term" if purges else "may not delete audit entries"
    return Finding(True, f"role {role} {what}")


def _key_file(app: App) -> Finding:
    settings = app.settings
    if settings.encryption_keys is not None:
        return Finding(True, "the encryption keys come from VHBOT_ENCRYPTION_KEYS")
    path = settings.resolved_key_file
    if not path.exists():
        return Finding(False, f"no key file at {path}: it is made at the first start; back it up then")
    if path.parent == settings.data_dir:
        return Finding(True, f"key file {path} (keep it, or a copy, outside the data directory's backups)")
    return Finding(True, f"key file {path}, readable by its owner only")


def _data_dir(app: App) -> Finding:
    """Where the SQLite store, a made key file, the Matrix device and the form pages' files live: this user writes
    there, and nobody else reads it."""
    import os
    import stat

    directory = app.settings.data_dir
    if not directory.is_dir():
        return Finding(
            False, f"the data directory {directory} does not exist (systemd's StateDirectory= makes it)"
        )
    if not os.access(directory, os.W_OK | os.X_OK):
        return Finding(False, f"the data directory {directory} is not writable by this user")
    mode = stat.S_IMODE(directory.stat().st_mode)
    if mode & 0o007:
        return Finding(False, f"the data directory {directory} is open to others (mode {mode:o}): chmod 700")
    return Finding(True, f"the data directory {directory}, writable by this user and closed to others")


def _public_url(app: App) -> Finding:
    url = app.settings.public_url
    if url is None:
        return Finding(True, "no public address: Matrix referrals go on without the identifying-details form")
    if url.scheme != "https" and url.host not in ("127.0.0.1", "localhost"):
        return Finding(False, f"the public address {url} is not https: form links would travel in clear")
    return Finding(True, f"public address {url}")


async def _channels(app: App) -> list[Finding]:
    settings = app.settings
    found: list[Finding] = []
    if settings.matrix_configured:
        found.append(await _matrix(app))
    if settings.teams_configured:
        from bot.channels.teams.adapter import TeamsSetupError, auth_configuration

        try:
            auth_configuration(settings)
            mode = "local mode (Agents Playground only)" if settings.teams_local else "production credentials"
            found.append(Finding(True, f"Teams with {mode}"))
        except TeamsSetupError as error:
            found.append(Finding(False, f"Teams: {error}"))
    if not found:
        found.append(Finding(False, "no channel is configured: set up Matrix or Teams (see the README)"))
    return found


async def _matrix(app: App) -> Finding:
    """The homeserver answers, and knows the account by the kept device's token (or the configured one); a
    password is only tried at the first start, which makes the device: doctor changes nothing."""
    import aiohttp

    from bot.channels.matrix.login import MatrixSetupError, load_credentials

    settings = app.settings
    base, account = str(settings.matrix_homeserver).rstrip("/"), settings.matrix_user_id
    try:
        kept = load_credentials(settings.resolved_matrix_store_dir, settings)
    except MatrixSetupError as error:  # the kept device is another account's
        return Finding(False, f"Matrix: {error}")
    token = kept["access_token"] if kept else None
    token = token or (
        settings.matrix_access_token.get_secret_value() if settings.matrix_access_token else None
    )
    if token is None and settings.matrix_password is None:
        return Finding(False, "Matrix has no device yet and no VHBOT_MATRIX_PASSWORD or access token")
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            async with http.get(f"{base}/_matrix/client/versions") as answered:
                if answered.status != 200:
                    return Finding(False, f"Matrix: {base} is no homeserver (it answers {answered.status})")
            if token is None:
                return Finding(True, f"Matrix: {base} answers; the password is tried at the first start")
            headers = {"Authorization": f"Bearer {token}"}
            async with http.get(f"{base}/_matrix/client/v3/account/whoami", headers=headers) as whoami:
                known = (await whoami.json()).get("user_id") if whoami.status == 200 else None
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        return Finding(False, f"Matrix: the homeserver {base} does not answer ({type(error).__name__})")
    which = "the kept device" if kept else "VHBOT_MATRIX_ACCESS_TOKEN"
    if known != account:
        return Finding(
            False, f"Matrix: {base} does not accept {which} for {account} (logged out, or another account)"
        )
    return Finding(True, f"Matrix as {account} on {base}, with {which}")


def _ops_listener(app: App) -> Finding:
    from bot.loopback import is_loopback

    settings = app.settings
    if not settings.ops_port:
        return Finding(True, "no operations listener (VHBOT_OPS_PORT=0)")
    where = f"{settings.ops_host}:{settings.ops_port}"
    if is_loopback(settings.ops_host):
        return Finding(True, f"/healthz, /readyz and /metrics on {where}")
    return Finding(
        False,
        f"the operations listener (/metrics, /readyz, no authentication) is on {where}, not on loopback: "
        "keep it on 127.0.0.1 for a local monitoring agent, or firewall it",
    )


def _send_window(app: App) -> Finding:
    start, end = app.settings.send_window_start, app.settings.send_window_end
    if start == end:
        return Finding(True, "notices may go out at any hour")
    if start > end:
        return Finding(False, f"the send window ends ({end:%H:%M}) before it starts ({start:%H:%M})")
    return Finding(True, f"notices go out between {start:%H:%M} and {end:%H:%M}")


def _clock(app: App) -> Finding:
    offset = app.settings.clock_offset
    if offset:
        return Finding(False, f"VHBOT_CLOCK_OFFSET shifts the clock by {offset}: for tests and drills only")
    return Finding(True, f"the clock is the system's ({app.now():%Y-%m-%d %H:%M %Z})")


async def cmd_doctor(app: App, args: argparse.Namespace) -> int:
    checks: list[Callable[[App], Awaitable[Finding]] | Callable[[App], Finding]] = [
        _data_dir,
        _key_file,
        _store,
        _audit_grants,
        _public_url,
    ]
    findings: list[Finding] = []
    for check in checks:
        result = check(app)
        findings.append(result if isinstance(result, Finding) else await result)
    findings += [*await _channels(app), _ops_listener(app), _send_window(app), _clock(app)]
    for finding in findings:
        print(f"{'ok     ' if finding.ok else 'PROBLEM'}  {finding.line}")
    return 0 if all(finding.ok for finding in findings) else 1


def register(commands: SubParsers) -> None:
    commands.add_parser("doctor", help="check the settings, keys, store and channels").set_defaults(
        run=cmd_doctor, store=False
    )
