"""What every command module shares: how an operator's mistake is reported, and the commands' shape."""

from __future__ import annotations

import argparse
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app import App

Command = Callable[["App", argparse.Namespace], Awaitable[int]]
SubParsers = Any  # argparse's sub-parser action has no public type


class UsageError(Exception):
    """A mistake in what the operator typed; reported on one line, exit status 2."""


def handle_from(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
