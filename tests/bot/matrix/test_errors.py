"""A homeserver's error answers become the delivery engine's three kinds."""

from __future__ import annotations

import pytest
from nio import RoomCreateError, RoomSendError

from bot.channels.matrix.connection import failure_of
from bot.senders import PermanentFailure, RateLimited, SendError, TemporaryFailure


def test_a_rate_limit_says_how_long_to_wait() -> None:
    failure = failure_of(RoomSendError("slow down", "M_LIMIT_EXCEEDED", retry_after_ms=2500), "send")
    assert isinstance(failure, RateLimited) and failure.retry_after == 2.5 and failure.scope == "matrix"


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (RoomSendError("not in room", "M_FORBIDDEN"), PermanentFailure),
        (RoomCreateError("no such user", "M_NOT_FOUND"), PermanentFailure),
        (RoomSendError("server trouble", "M_UNKNOWN_TOKEN"), TemporaryFailure),
        (RoomSendError("bad gateway", None), TemporaryFailure),
    ],
)
def test_errors_are_sorted_into_give_up_or_try_again(error: RoomSendError, kind: type[SendError]) -> None:
    assert type(failure_of(error, "send")) is kind
