"""``vhbot chat``: the terminal channel, for trying the bot out (and piping a script of messages through it)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.cli.common import SubParsers, UsageError

if TYPE_CHECKING:
    from bot.app import App
    from bot.channels.terminal import Deliver, TerminalChannel


def _text(app: App, key: str, **params: object) -> str:
    """Terminal prompts come from the catalogues too, in the installation's default language."""
    return app.texts.text(app.settings.default_language, key, **params)


async def _offer_demo(app: App) -> list[str]:
    """On an empty store, ask (on a terminal) whether to load the demo people; returns their handles."""
    from bot.channels.terminal import is_interactive
    from bot.demo import load_demo
    from storage import people

    async with app.sessions() as session, session.begin():
        if await people.count_professionals(session):
            return []
        if not is_interactive():
            return []
        answer = input(_text(app, "terminal.demo_offer")).strip().lower()
        if answer not in ("", "j", "ja", "y", "yes"):
            return []
        return await load_demo(session, app.now())


async def cmd_chat(app: App, args: argparse.Namespace) -> int:
    from bot.channels.terminal import TerminalChannel, is_interactive, run_interactive, run_piped
    from storage import migrate

    await migrate.upgrade(app.engine)
    new_key = await app.open(announce=False)
    if new_key is not None:
        print(_text(app, "terminal.new_key", file=new_key))
    handles = await _offer_demo(app)
    handle = args.handle
    if handle is None:
        if not is_interactive():
            raise UsageError("say who you are: vhbot chat --as HANDLE")
        if handles:
            print(_text(app, "terminal.demo_people", handles=", ".join(handles)))
        handle = input(_text(app, "terminal.who")).strip()
    channel = TerminalChannel(app.dispatcher, handle)
    deliver = _terminal_delivery(app, channel)
    if is_interactive():
        await run_interactive(channel, _text(app, "terminal.banner", handle=handle), deliver)
    else:
        await run_piped(channel, sys.stdin, sys.stdout, deliver)
    return 0


def _terminal_delivery(app: App, channel: TerminalChannel) -> Deliver:
    """Delivers what is due for whoever is at the terminal now (the person changes with '/als')."""
    from bot.channels.terminal import TerminalSender
    from bot.delivery import DeliveryEngine
    from storage import people

    engine = DeliveryEngine(app, [TerminalSender(channel, sys.stdout)])

    async def deliver() -> None:
        async with app.sessions() as session:
            person = await people.professional_by_handle(session, channel.handle)
        if person is None:
            return
        while await engine.deliver_due(recipients={person.id}):
            pass

    return deliver


def register(commands: SubParsers) -> None:
    chat = commands.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--as", dest="handle")
    chat.set_defaults(run=cmd_chat, store=False)  # it migrates and opens the store itself
