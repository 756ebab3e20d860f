"""The terminal channel: a private chat with the bot as one registered professional."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.dispatcher import Dispatcher, Identity
from bot.senders import Outgoing
from handlers.dialogue.messages import Incoming, Reply, numbered
from storage.models import Professional

CHANNEL = "terminal"
# Prints what the bot has to say on its own initiative to the person now at the terminal.
Deliver = Callable[[], Awaitable[None]]


def conversation_of(handle: str) -> str:
    return f"{CHANNEL}:{handle}"


def render(reply: Reply) -> str:
    """Plain lines; options numbered so they can be answered by number or by word. A chart cannot be shown here:
    its text alternative is."""
    lines = [reply.text]
    lines += [f"  {number}. {choice.label}" for number, choice in numbered(reply.choices)]
    if reply.chart is not None:
        lines.append(f"[{reply.chart.alt}]")
    return "\n".join(lines)


class TerminalChannel:
    """Sends one person's lines through the dispatcher; the terminal is always a 1:1 conversation."""

    def __init__(self, dispatcher: Dispatcher, handle: str) -> None:
        self._dispatcher = dispatcher
        self.handle = handle

    async def send(self, text: str) -> list[str]:
        incoming = Incoming(
            text=text, conversation=conversation_of(self.handle), private=True, channel=CHANNEL
        )
        replies = await self._dispatcher.handle(Identity(CHANNEL, self.handle), incoming)
        return [render(reply) for reply in replies]


class TerminalSender:
    """Delivers the bot's own messages to the person at this terminal, printed between their messages."""

    name = CHANNEL

    def __init__(self, channel: TerminalChannel, sink: TextIO) -> None:
        self._channel = channel
        self._sink = sink

    def address(self, person: Professional) -> str | None:
        return person.handle if person.handle == self._channel.handle else None

    def scope(self, address: str) -> str:
        return CHANNEL

    def ready(self) -> bool:
        return True

    async def send(self, address: str, message: Outgoing) -> str:
        print(render(message.reply), file=self._sink, flush=True)
        return conversation_of(address)


async def run_piped(channel: TerminalChannel, source: TextIO, sink: TextIO, deliver: Deliver) -> None:
    """One message per input line; replies printed, then anything due for this person; returns at end of input."""
    await deliver()
    for line in source:
        for reply in await channel.send(line.rstrip("\n")):
            print(reply, file=sink, flush=True)
        await deliver()


async def run_interactive(channel: TerminalChannel, banner: str, deliver: Deliver) -> None:
    """A prompt per message. '/als HANDLE' switches to another professional, '/stop' or Ctrl-D quits.

    The bot's own messages for the person at the terminal appear after each of their messages.
    """
    loop = asyncio.get_running_loop()
    print(banner)
    while True:
        await deliver()
        try:
            line = await loop.run_in_executor(None, input, f"{channel.handle}> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if line.strip() in ("/stop", "/quit"):
            return
        if line.startswith(("/als ", "/as ")):
            channel.handle = line.split(maxsplit=1)[1].strip()
            continue
        for reply in await channel.send(line):
            print(reply, end="\n\n")


def is_interactive() -> bool:
    return sys.stdin.isatty()
