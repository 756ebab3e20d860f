"""Platform-neutral messages: what a channel hands in and what it gets back to render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Incoming:
    """One message from a person, as every channel reports it.

        ``conversation`` identifies the chat (a Matrix room, a Teams conversation, the terminal) so a
        dialogue belongs to one chat; ``private`` tells whether only the bot and this person are in it.
        ``message_id`` is the channel's own id for the message (a Matrix event id), given where the channel may
        deliver the same message twice: the dispatcher then handles it once. ``answers`` is set when the text comes
        from a button or form of an earlier reply: the fingerprint of the question it was shown with, so a button
        on a card whose question has moved on acts no more. ``keys`` holds the keys of the options a button or a choice
    set sent (Teams): they name options by key and are never read as typed words or list positions, since a key is
    often a database id that a position could equal by chance. ``forms`` says how the channel can take identifying
        details outside the chat: ``card`` (a form inside the chat that is never echoed: Teams), ``link`` (a link to
        the form page ``vhbot serve`` hosts: Matrix; only given where a public address is configured), or None (not
        at all).
    """

    text: str
    conversation: str
    private: bool
    channel: str
    message_id: str | None = None
    answers: str | None = None
    keys: tuple[str, ...] | None = None
    forms: str | None = None
    # The channel shows a question's options as buttons or boxes to tick (Teams): where a catalogue line has a
    # variant for it (``<key>_buttons``), that one is said, so nobody is asked for a number they cannot see.
    buttons: bool = False
    # Of someone the bot does not know yet, as the channel gives them: their name; their e-mail address or user
    # principal name (Teams' member API), or the part of their account's id before its home ('jan.bakker' of
    # @jan.bakker:matrix.ggz.example), matched to a registered e-mail address; where their account lives (a
    # Teams tenant, a Matrix homeserver). ``identified``: the address is the platform's word for who is typing
    # (an AAD object id, a Matrix id), so an invite code may make it a melder's.
    display_name: str | None = None
    email: str | None = None
    mailbox: str | None = None
    home: str | None = None
    identified: bool = False


@dataclass(frozen=True)
class FormField:
    """One input of a form: ``kind`` is ``text``, ``date`` or ``multiline``. ``hint`` is how to type the value
    (a date: day-month-year)."""

    key: str
    label: str
    kind: str
    max_length: int
    hint: str = ""
    error: str = ""  # what the channel says before sending when the field is empty or not in shape


@dataclass(frozen=True)
class FormOffer:
    """A form to fill in outside the chat transcript, opened by ``token``; every word is in the person's
    language already. ``error`` says what was wrong with the last attempt (the values are never shown again)."""

    token: str
    title: str
    intro: str
    fields: tuple[FormField, ...]
    submit: str
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "fields": [asdict(item) for item in self.fields]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FormOffer:
        fields = tuple(FormField(**item) for item in data["fields"])
        return cls(**{**data, "fields": fields})


@dataclass(frozen=True)
class Choice:
    """One answer option: ``key`` is what the bot stores, ``label`` what the person reads. Options are numbered 1,
    2, … in the order they are shown, and a number is read against the options it was shown with."""

    key: str
    label: str

    def to_json(self) -> list[Any]:
        return [self.key, self.label]

    @classmethod
    def from_json(cls, data: list[Any]) -> Choice:
        # Dialogues stored by an earlier version may hold a third element (a fixed number): it is not used.
        return cls(str(data[0]), str(data[1]))


def numbered(choices: Sequence[Choice]) -> list[tuple[int, Choice]]:
    """Each option with the number it is shown and answered by."""
    return list(enumerate(choices, start=1))


@dataclass(frozen=True)
class Chart:
    """A bar chart to send with a reply, where a channel can show an image: one bar per category, stacked from
    ``series`` (a label and a value per category). Values are as the figures show them ("0", "<5", "15"): the
    picture gives away nothing the text would not. ``alt`` describes it for whoever cannot see it."""

    title: str
    alt: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[str, ...]], ...]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chart:
        series = tuple(
            (str(label), tuple(str(value) for value in values)) for label, values in data["series"]
        )
        return cls(str(data["title"]), str(data["alt"]), tuple(data["categories"]), series)


@dataclass(frozen=True)
class Reply:
    """One message back. ``choices`` become buttons, choice sets or numbered lines, per channel; ``question`` is
    the fingerprint of the open question they answer (see ``Incoming.answers``); ``form`` is a form to show
    with the text (only given to channels whose ``Incoming.forms`` is ``card``); ``chart`` is a picture to send
    after the text."""

    text: str
    choices: tuple[Choice, ...] = ()
    multiple: bool = False
    question: str | None = None
    form: FormOffer | None = None
    chart: Chart | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "choices": [choice.to_json() for choice in self.choices],
            "multiple": self.multiple,
            "question": self.question,
            "form": self.form.to_json() if self.form else None,
            "chart": self.chart.to_json() if self.chart else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        choices = tuple(Choice.from_json(item) for item in data.get("choices", []))
        form = FormOffer.from_json(data["form"]) if data.get("form") else None
        chart = Chart.from_json(data["chart"]) if data.get("chart") else None
        return cls(
            data["text"], choices, bool(data.get("multiple", False)), data.get("question"), form, chart
        )
