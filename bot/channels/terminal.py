"""The terminal channel: a private chat with the bot as one registered professional."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.dispatcher import Dispatcher, Identity
from handlers.messages import Incoming, Reply

CHANNEL = "terminal"


def render(reply: Reply) -> str:
    """Plain lines; options numbered so they can be answered by number or by word."""
    lines = [reply.text]
    lines += [f"  {index}. {choice.label}" for index, choice in enumerate(reply.choices, start=1)]
    return "\n".join(lines)


class TerminalChannel:
    """Sends one person's lines through the dispatcher; the terminal is always a 1:1 conversation."""

    def __init__(self, dispatcher: Dispatcher, handle: str) -> None:
        self._dispatcher = dispatcher
        self.handle = handle

    async def send(self, text: str) -> list[str]:
        incoming = Incoming(text=text, conversation=f"terminal:{self.handle}", private=True, channel=CHANNEL)
        replies = await self._dispatcher.handle(Identity(CHANNEL, self.handle), incoming)
        return [render(reply) for reply in replies]


async def run_piped(channel: TerminalChannel, source: TextIO, sink: TextIO) -> None:
    """One message per input line; replies printed; returns at end of input."""
    for line in source:
        for reply in await channel.send(line.rstrip("\n")):
            print(reply, file=sink, flush=True)


async def run_interactive(channel: TerminalChannel, banner: str) -> None:
    """A prompt per message. '/als HANDLE' switches to another professional, '/stop' or Ctrl-D quits."""
    loop = asyncio.get_running_loop()
    print(banner)
    while True:
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
