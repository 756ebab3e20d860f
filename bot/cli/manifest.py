"""``vhbot teams-manifest``: the Teams app package to upload (Teams admin center, or 'Upload a custom app')."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import SubParsers, UsageError

if TYPE_CHECKING:
    from bot.app import App

_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


async def cmd_teams_manifest(app: App, args: argparse.Namespace) -> int:
    from bot.channels.teams.manifest import Publisher, package

    if not _GUID.fullmatch(args.app_id):
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


def register(commands: SubParsers) -> None:
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
