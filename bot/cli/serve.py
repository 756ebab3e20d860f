"""``vhbot serve``: the delivery engine and every configured channel, until SIGTERM or Ctrl-C.

The channels are imported here, when they run, and by nothing else in the command line.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.cli.common import SubParsers, UsageError

if TYPE_CHECKING:
    from bot.app import App
    from bot.senders import Sender


@dataclass
class Channels:
    """What ``serve`` runs: the senders the engine tries in order, and the listeners that take messages in."""

    senders: list[Sender] = field(default_factory=list)
    listeners: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = field(default_factory=list)
    # Whether each channel serves (or stands by for another process): what /readyz reports.
    ready: dict[str, Callable[[], bool]] = field(default_factory=dict)


def configured_channels(app: App) -> Channels:
    """The channels this installation is configured for, in the order they are tried."""
    channels = Channels()
    if app.settings.matrix_configured:
        from bot.channels.matrix.channel import MatrixChannel
        from bot.channels.matrix.sender import MatrixSender

        matrix = MatrixChannel(app)
        channels.senders.append(MatrixSender(matrix))
        channels.listeners.append(matrix.run)
        channels.ready["matrix"] = lambda: matrix.serving.is_set() or matrix.standing_by
    if app.settings.teams_configured:
        from bot.channels.teams.adapter import TeamsSetupError
        from bot.channels.teams.channel import TeamsChannel
        from bot.channels.teams.sender import TeamsSender

        try:
            teams = TeamsChannel(app)
        except TeamsSetupError as error:
            raise UsageError(str(error)) from None
        channels.senders.append(TeamsSender(teams))
        channels.listeners.append(teams.run)
        channels.ready["teams"] = teams.serving.is_set
    if app.settings.public_url and not app.settings.teams_configured:
        from bot.channels.form_page import FormSite

        site = FormSite(app)
        channels.listeners.append(site.run)  # with Teams, its site serves the form pages too
        channels.ready["form page"] = site.serving.is_set
    if app.settings.recording_file is not None:
        from bot.channels.recording import RecordingSender

        delay = app.settings.recording_delay_ms / 1000
        channels.senders.append(RecordingSender(app.settings.recording_file, delay))
    return channels


def _setup_errors() -> tuple[type[Exception], ...]:
    """The errors a channel raises when it cannot start as configured (reported on one line, exit 2)."""
    from bot.channels.matrix.login import MatrixSetupError
    from bot.channels.teams.adapter import TeamsSetupError
    from bot.web import WebSetupError

    return MatrixSetupError, TeamsSetupError, WebSetupError


async def cmd_serve(app: App, args: argparse.Namespace) -> int:
    """Runs the delivery engine and the configured channels' listeners until stopped."""
    from bot import logs
    from bot.delivery import DeliveryEngine

    logs.configure(app.settings)
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
    if app.settings.ops_port:
        from bot.ops import OpsSite

        channels.listeners.append(OpsSite(app, channels.ready).run)
    from bot.loopback import is_loopback

    if app.settings.ops_port and not is_loopback(app.settings.ops_host):
        logging.getLogger(__name__).warning(
            "the operations listener (no authentication) is on %s, not on loopback: firewall it",
            app.settings.ops_host,
        )
    if app.settings.outbox_held:
        app.warnings["outbox"] = "held (VHBOT_OUTBOX_HELD): nothing queued is sent"
        logging.getLogger(__name__).warning(
            "the outbox is held (VHBOT_OUTBOX_HELD): people are answered, nothing queued is sent"
        )
    if app.settings.clock_offset:
        logging.getLogger(__name__).warning(
            "the clock is shifted by %s (VHBOT_CLOCK_OFFSET): for tests and drills only",
            app.settings.clock_offset,
        )
    names = ", ".join(sender.name for sender in channels.senders)
    logs.announce(app.settings, f"vhbot serve: delivering through {names} as {engine.owner}")
    watchdog = asyncio.create_task(_exit_if_stopping_takes_too_long(stop, app.settings.shutdown_seconds))
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(engine.run(stop))
            for listen in channels.listeners:
                group.create_task(listen(stop))
    except* _setup_errors() as errors:
        raise UsageError(str(errors.exceptions[0])) from None
    finally:
        watchdog.cancel()
    print("vhbot serve: stopped", flush=True)
    return 0


async def _exit_if_stopping_takes_too_long(stop: asyncio.Event, seconds: float) -> None:
    """Once asked to stop, the engine finishes its batch and the channels their turns; a process that still has
    not stopped after ``seconds`` exits anyway (what it had leased is taken over when the lease ends)."""
    await stop.wait()
    await asyncio.sleep(seconds)
    logging.getLogger(__name__).error("vhbot serve: did not stop within %.0f s; exiting", seconds)
    os._exit(1)


def register(commands: SubParsers) -> None:
    commands.add_parser("serve", help="run the delivery engine and the configured channels").set_defaults(
        run=cmd_serve
    )
