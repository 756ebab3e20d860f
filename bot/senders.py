"""The small interface through which the delivery engine reaches a person on one channel.

A channel implements ``Sender``; the engine knows nothing of Matrix or Teams. Errors are sorted into three
kinds because each calls for a different response: try again later, slow down, or try another channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from handlers.dialogue.messages import Reply
from storage.models import Professional


@dataclass(frozen=True)
class Outgoing:
    """One message to deliver. ``key`` is stable across retries: a channel uses it to drop a repeat
    (Matrix: the transaction id)."""

    key: str
    reply: Reply
    urgent: bool = False


class SendError(Exception):
    """A delivery that did not happen; the subclass says what to do about it."""


class TemporaryFailure(SendError):
    """Network trouble, a server error, a timeout: the same channel will be tried again after a backoff."""


class RateLimited(SendError):
    """The channel asked us to slow down (HTTP 429) for everything in ``scope`` for ``retry_after`` seconds."""

    def __init__(self, retry_after: float, scope: str | None = None) -> None:
        super().__init__(f"rate limited for {retry_after:.2f}s")
        self.retry_after = retry_after
        self.scope = scope


class PermanentFailure(SendError):
    """The person cannot be reached on this channel (blocked or removed the bot, unknown user)."""


class NotHere(SendError):
    """Another process serves this channel just now (one process holds a Matrix device): leave the row for it,
    without counting an attempt."""


class Sender(Protocol):
    name: str

    def address(self, person: Professional) -> str | None:
        """Where this channel reaches the person, or None when it does not."""

    def scope(self, address: str) -> str:
        """The unit a rate limit applies to: a Teams tenant, a Matrix homeserver."""

    def ready(self) -> bool:
        """Whether this process can send on the channel now: a standby process cannot (another holds the Matrix
        device), so it leaves those people's rows to the process that can, rather than taking them and handing
        them back."""

    async def send(self, address: str, message: Outgoing) -> str:
        """Deliver and return the conversation it arrived in (where an answer will come from)."""
