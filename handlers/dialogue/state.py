"""Where a conversation stands between two messages, and how that is kept in the dialogue row.

The dialogue toolkit's own bookkeeping (the options last offered, a date waiting for confirmation) lives beside
the conversation's typed state (one dataclass per conversation), never inside it under magic keys. What is read
back from the store is validated against that dataclass: a dialogue stored by an older version in a shape that no
longer fits is reported as :class:`OutdatedDialogue`, which the dispatcher closes with one polite line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from handlers.dialogue.messages import Choice

S = TypeVar("S")
EARLIER_KEPT = 12

# The keys under which the previous storage shape kept the toolkit's bookkeeping inside the state itself.
_LEGACY_OFFERED = "_offered"
_LEGACY_PENDING = "_pending_date"


class OutdatedDialogue(Exception):
    """A stored dialogue this version cannot continue: an unknown kind, step or shape of state."""


@dataclass(frozen=True)
class NoState:
    """The state of a conversation that keeps nothing but its step."""


@dataclass
class DialogueState(Generic[S]):
    """One conversation's place: ``step`` names the step that reads the next message; ``data`` is the
    conversation's own typed state; ``offered`` are the options the open question showed (an answer is read
    against them); ``pending_date`` is a date read but not yet confirmed. ``left_by_notice`` marks a question a
    notice left open (a reminder's 'done / update / postpone'): the person did not start it, so starting something
    else drops it without a word."""

    kind: str
    step: str
    data: S
    offered: tuple[Choice, ...] = ()
    pending_date: datetime | None = None
    left_by_notice: bool = False
    suggested: tuple[str, ...] = ()  # the options a typo most likely meant, asked about ('Bedoelt u: …?')
    without_name: str | None = None  # a refused answer with its names left out, offered to send as it is
    asked: dict[str, Any] | None = None  # the open question as it was sent (a Reply's JSON), to ask it again
    # The dialogue as it stood at each earlier question (step and stored form, newest last), so 'terug' can go
    # back to one; the oldest are let go past EARLIER_KEPT.
    earlier: list[dict[str, Any]] = field(default_factory=list)

    def snapshot(self) -> dict[str, Any]:
        """This place in the dialogue, to come back to (without the places before it: those are kept apart)."""
        stored = self.to_stored()
        del stored["earlier"]
        return {"step": self.step, "stored": stored}

    def went_on_from(self, before: dict[str, Any], history: list[dict[str, Any]], fingerprint: str) -> None:
        """After a message: if the dialogue moved on from the question it stood at (``before``, with the places
        before that and its fingerprint), that place is one 'terug' leads to."""
        if self.fingerprint() != fingerprint:
            self.earlier = [*history, before][-EARLIER_KEPT:]

    def to_stored(self) -> dict[str, Any]:
        """The JSON-compatible form kept in the dialogue row."""
        return {
            "state": _adapter(type(self.data)).dump_python(self.data, mode="json"),
            "offered": [choice.to_json() for choice in self.offered],
            "pending_date": self.pending_date.isoformat() if self.pending_date else None,
            "left_by_notice": self.left_by_notice,
            "suggested": list(self.suggested),
            "without_name": self.without_name,
            "asked": self.asked,
            "earlier": self.earlier,
        }

    def fingerprint(self) -> str:
        """Short and stable for the same question (also after a round trip through the store), different as soon
        as the dialogue moves on."""
        # Asking about a typo or offering an answer without its names leaves the question open: the buttons of
        # its card still answer it.
        stored = {
            key: value
            for key, value in self.to_stored().items()
            if key
            not in ("suggested", "without_name", "asked", "earlier")  # the same question, however worded
        }
        canonical = json.dumps([self.kind, self.step, stored], sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def from_stored(kind: str, step: str, stored: dict[str, Any], state_type: type[S]) -> DialogueState[S]:
    """The dialogue as kept by :meth:`DialogueState.to_stored`, or by the version before typed state (flat, with
    the bookkeeping under underscore keys); raises OutdatedDialogue when it does not fit ``state_type``."""
    if "state" in stored:
        raw, offered, pending = stored["state"], stored.get("offered") or [], stored.get("pending_date")
        by_notice, suggested = bool(stored.get("left_by_notice")), tuple(stored.get("suggested") or ())
        without_name, asked = stored.get("without_name"), stored.get("asked")
        earlier = stored.get("earlier") or []
    else:
        raw = {key: value for key, value in stored.items() if key not in (_LEGACY_OFFERED, _LEGACY_PENDING)}
        offered, pending, by_notice = stored.get(_LEGACY_OFFERED) or [], stored.get(_LEGACY_PENDING), False
        suggested, without_name, asked, earlier = (), None, None, []
    try:
        data = _adapter(state_type).validate_python(raw)
        choices = tuple(Choice.from_json(item) for item in offered)
        moment = datetime.fromisoformat(pending) if pending else None
    except (ValidationError, ValueError, TypeError) as error:
        raise OutdatedDialogue(kind) from error
    offered_text = str(without_name) if without_name is not None else None
    question = asked if isinstance(asked, dict) else None
    return DialogueState(
        kind,
        step,
        data,
        choices,
        moment,
        by_notice,
        tuple(str(key) for key in suggested),
        offered_text,
        question,
        [item for item in earlier if isinstance(item, dict)] if isinstance(earlier, list) else [],
    )


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(state_type: type[Any]) -> TypeAdapter[Any]:
    """Built once per state class: building one costs far more than using it."""
    adapter = _ADAPTERS.get(state_type)
    if adapter is None:
        adapter = _ADAPTERS[state_type] = TypeAdapter(state_type)
    return adapter
