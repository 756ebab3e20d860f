"""What every command module shares: how an operator's mistake is reported, and the sub-parsers they add to."""

from __future__ import annotations

from typing import Any

SubParsers = Any  # argparse's sub-parser action has no public type


class UsageError(Exception):
    """A mistake in what the operator typed; reported on one line, exit status 2."""
