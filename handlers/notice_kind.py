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


class NoticeKind(str, Generic[R]):
    """A kind of notice with the type of its references. It is the string it is stored as, so the outbox rows,
    the catalogue keys (``notice.<kind>``) and the tuples that group kinds use it as that string.

    ``adds`` names the placeholders its text may use that the renderer fills in from the store when it is sent
    (``when``: the action's deadline or the next overleg).
    """

    references: type[R]
    adds: frozenset[str]

    def __new__(cls, kind: str, references: type[R], adds: tuple[str, ...] = ()) -> NoticeKind[R]:
        made = super().__new__(cls, kind)
        made.references, made.adds = references, frozenset(adds)
        return made

    @property
    def placeholders(self) -> frozenset[str]:
        """Everything its texts may say: the case number, its references as the renderer says them, and what it
        adds."""
        said = {SAID_AS.get(field.name, field.name) for field in fields(self.references)}
        return frozenset({"case", *said, *self.adds})
