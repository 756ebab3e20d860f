"""What a notice declares about itself, where it is sent: its kind and the references it carries.

A notice (a message the bot sends on its own: a reminder, a case moved, a request to join) is queued now and
written out later, maybe by another version of the bot. Its row carries references only: a case number, ids, a
configured key, a moment. Names are looked up, and texts chosen in the recipient's language, when it is sent.
Each kind is declared once, beside the code that sends it, with the dataclass of its references; sending takes
that typed value (``Turn.notify``), so mypy catches a missing or misspelt reference. ``handlers.all_notices``
lists every declared kind for the delivery engine, and a test checks each one's texts against its references.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Generic, TypeVar

# References the renderer turns into something readable, and the placeholder each becomes: a person's id is
# said as their name, a moment (ISO text) as a date.
SAID_AS = {"person": "name", "until": "when"}


@dataclass(frozen=True)
class References:
    """The parameters of a notice: ids, numbers, keys of config/process.toml and moments, never a name or a
    text someone typed (the outbox's parameters are stored in clear)."""

    def as_params(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Nothing(References):
    """A notice that says no more than its kind and its case number."""


NOTHING = Nothing()


@dataclass(frozen=True)
class OfAction(References):
    """A notice about one action: its number in the case (#2); the row's action id points at the action."""

    action: int


@dataclass(frozen=True)
class OfPerson(References):
    """A notice that names a professional, by id."""

    person: int


R = TypeVar("R", bound=References)
# What a notice is about beyond its case: it is sent only while that still holds, and says when it is due.
NOTHING_MORE, ACTION, MEETING = "case", "action", "meeting"


class NoticeKind(str, Generic[R]):
    """A kind of notice with the type of its references. It is the string it is stored as, so the outbox rows,
    the catalogue keys (``notice.<kind>``) and the tuples that group kinds use it as that string.

    What it declares besides, the renderer (``handlers.notices``) acts on when it is sent:

    - ``about``: ``ACTION``, it is sent only while its action is open and says the action's deadline as ``when``;
      ``MEETING``, only while an overleg is planned, saying when that is.
    - ``line``: the catalogue key of a second line (the action's description under a reminder, the deadline
      under a request to act).
    - ``after_closing``: it may still go out once its case is closed (it is about the closing).
    - ``personal``: a waarnemer gets no copy (a holder's reminder, an overview made for each anyway).
    - ``urgent``: a row queued as urgent is said with its own text, ``notice.<kind>_urgent``.
    - ``routine``: a reminder of the recipient's own work, which may wait: gathered into their daily digest when
      they chose one, held while they are away (``handlers.pacing``). A row queued as urgent never waits.
    - ``adds``: other placeholders the renderer fills in from the store (a request to join's name).
    """

    references: type[R]
    adds: frozenset[str]
    about: str
    line: str | None
    after_closing: bool
    personal: bool
    urgent: bool
    routine: bool

    def __new__(
        cls,
        kind: str,
        references: type[R],
        adds: tuple[str, ...] = (),
        *,
        about: str = NOTHING_MORE,
        line: str | None = None,
        after_closing: bool = False,
        personal: bool = False,
        urgent: bool = False,
        routine: bool = False,
    ) -> NoticeKind[R]:
        made = super().__new__(cls, kind)
        made.references, made.about, made.line = references, about, line
        made.adds = frozenset((*adds, "when") if about != NOTHING_MORE else adds)
        made.after_closing, made.personal, made.urgent = after_closing, personal, urgent
        made.routine = routine
        return made

    @property
    def placeholders(self) -> frozenset[str]:
        """Everything its texts may say: the case number, its references as the renderer says them, and what it
        adds."""
        said = {SAID_AS.get(field.name, field.name) for field in fields(self.references)}
        return frozenset({"case", *said, *self.adds})
