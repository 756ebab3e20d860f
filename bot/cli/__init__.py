"""The stable command line: one module per command group, each adding its commands to the parser.

A command imports what it runs only when it runs: parsing the command line and listing users must not pay for
importing every channel (Matrix' crypto, the Agents SDK) or every conversation.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.cli import betrokkene, chat, doctor, manifest, operations, people, report, serve, store
from bot.cli.common import UsageError

GROUPS = (store, people, chat, serve, operations, report, manifest, doctor, betrokkene)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="vhbot", description="vhbot: chat assistant for a Zorg- en Veiligheidshuis"
    )
    top.add_argument("--version", action="version", version=f"vhbot {_installed_version()}")
    top.add_argument(
        "--env-file",
        type=Path,
        metavar="FILE",
        help="read VHBOT_ settings from this file (NAME=value lines, as systemd's EnvironmentFile); "
        "a variable set in the environment wins",
    )
    commands = top.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(commands)
    return top


def _installed_version() -> str:
    """The version of the installed distribution (what an operator upgrades), not of a file in the tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vhbot")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _json_logs() -> bool:
    """Whether the operator asked for JSON logs, even when the settings themselves do not read."""
    from config.settings import get_settings

    try:
        return get_settings().log_format == "json"
    except Exception:  # noqa: BLE001 - a setting that does not read is what is being reported
        return os.environ.get("VHBOT_LOG_FORMAT", "").strip().lower() == "json"


def _fatal(message: str, code: int) -> int:
    """Why the command stopped, on one line of stderr (a JSON log line where logs are JSON), and its exit code:
    2 for what a restart will not mend (the configuration), 1 for the rest."""
    from bot.logs import line

    said = line("CRITICAL", "vhbot", message, exit=code) if _json_logs() else f"vhbot: {message}"
    print(said, file=sys.stderr)
    return code


def _take_env_file(path: Path) -> None:
    """The settings of an env file, as the process's environment (where the environment has none of its own):
    every command reads them the same way, no secret shows in the process list, and no shell splits a value."""
    from dotenv import dotenv_values

    if not path.is_file():
        raise UsageError(f"--env-file: {path} is not a file that can be read")
    try:
        values = dotenv_values(path)
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--env-file: {path}: {error}") from None
    strangers = sorted(name for name in values if not name.startswith("VHBOT_"))
    if strangers:
        raise UsageError(f"--env-file: {path} sets {', '.join(strangers)}; only VHBOT_ settings belong there")
    for name, value in values.items():
        if value is not None:
            os.environ.setdefault(name, value)


def _cause(error: Exception) -> str:
    """The database's own first line ('schema "zvh" does not exist'); the engine hides statements' values."""
    cause = getattr(error, "orig", None) or error
    first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return f"{type(cause).__name__}: {first}" if first else type(cause).__name__


async def _run(args: argparse.Namespace) -> int:
    from bot.app import build_app
    from config.settings import get_settings

    app = build_app(get_settings())
    try:
        if getattr(args, "store", True):
            await app.open()
        result: int = await args.run(app, args)
        return result
    finally:
        await app.close()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from pydantic import ValidationError
    from sqlalchemy.exc import SQLAlchemyError

    from bot.app import run
    from bot.loops import where
    from config.files import ConfigError
    from storage.crypto import StoreKeyError

    try:
        if args.env_file is not None:
            _take_env_file(args.env_file)
        return run(_run(args))
    except (UsageError, StoreKeyError, ConfigError) as error:
        return _fatal(str(error), 2)
    except ValidationError as error:  # a setting that does not read: which, and why, not pydantic's page
        first = error.errors()[0]
        name = "VHBOT_" + "_".join(str(part) for part in first["loc"]).upper()
        return _fatal(f"{name}: {first['msg']}", 2)
    except SQLAlchemyError as error:  # a store that cannot be reached or used: one line, not a traceback
        hint = " (does VHBOT_DATABASE_SCHEMA name a schema that exists?)" if "schema" in str(error) else ""
        return _fatal(f"the store cannot be used: {_cause(error)}{hint}", 2)
    except BrokenPipeError:  # the reader went away ('vhbot audit … | head'): no traceback for that
        os.dup2(
            os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno()
        )  # the interpreter flushes stdout at exit
        return 1
    except ConnectionError as error:  # after BrokenPipeError, which is one too
        return _fatal(f"the store cannot be reached: {error.strerror or type(error).__name__}", 2)
    except Exception as error:
        if not _json_logs():
            raise  # people read the traceback; a log collector gets one line
        return _fatal(f"stopped by an unexpected error: {where(error)}", 1)
