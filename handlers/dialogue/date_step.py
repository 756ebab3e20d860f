"""Asking for a date: read it with the Dutch date layer, say it back in full, and ask for confirmation."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, ClassVar

from handlers.dates.dutch import DateReading, parse_dutch_datetime
from handlers.dates.formatting import long_date
from handlers.dialogue.answers import choose, is_correction
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn
from handlers.plain_text import fold

_NO_DATE = ("geen", "nee", "none", "no", "-")
_NEXT_WEEK = {"volgende week": "maandag", "next week": "monday"}
# Why a date read correctly still cannot be taken (a deadline 'moved' earlier), said before it is confirmed.
Refusal = Callable[[datetime], "str | None"]
EARLIER = "earlier"  # the answer that takes the working day before a weekend or holiday
# "nee, vrijdag" at 'Klopt dat?': the no that leads a correction.
_LEADING_NO = re.compile(r"^\s*(nee|no)\b[\s,.:;!-]*", re.IGNORECASE)


def _working_day_before(turn: Turn, moment: datetime) -> datetime:
    """The same time on the last working day up to ``moment``'s day (that day itself when it is one)."""
    local = moment.astimezone(turn.tz)
    return turn.calendar.at(turn.calendar.on_or_before(local.date()), local.time())


def _clock(value: str) -> time:
    """'17:00', or a setting that is a time already ('09:00:00')."""
    hour, minute = value.split(":")[:2]
    return time(int(hour), int(minute))


class _Skipped:
    """The answer to an optional date question that the person left open."""


@dataclass(frozen=True)
class DateStep:
    """One date question inside a dialogue; uses the steps ``name`` and ``name:confirm``."""

    SKIPPED: ClassVar[_Skipped] = _Skipped()

    name: str
    prompt_key: str
    default_time_setting: str = "default_deadline_time"
    looking_back: bool = False  # "sinds …": the day is in the past, and a day alone means its start (00:00)
    optional: bool = False
    # A rough moment is enough (to be reminded again): "volgende week" means its Monday, where a deadline asks
    # which day of it.
    rough: bool = False

    @property
    def steps(self) -> tuple[str, str]:
        return self.name, f"{self.name}:confirm"

    def ask(self, turn: Turn, state: DialogueState[Any], lead: str | None = None) -> None:
        state.step = self.name
        prompt = turn.t(self.prompt_key)
        if self.optional:
            prompt = f"{prompt}\n{turn.t('date.optional_hint')}"
        turn.ask_open(state, f"{lead}\n\n{prompt}" if lead else prompt)

    def reads(self, turn: Turn, phrase: str) -> bool:
        """Whether ``phrase`` names a moment, without asking anything: a bare 'morgen' answering another
        question."""
        return self._reading(turn, phrase).moment is not None

    def handle(
        self,
        turn: Turn,
        state: DialogueState[Any],
        text: str | None = None,
        refuse: Refusal | None = None,
    ) -> datetime | _Skipped | None:
        """The confirmed moment, SKIPPED, or None while the question is still open.

        ``text`` replaces the message text when the date came with the entry word ("status sinds maandag");
        ``refuse`` says why a date cannot be taken, before anyone is asked to confirm it.
        """
        if state.step == self.name:
            phrase = turn.incoming.text if text is None else text
            if self.optional and fold(phrase) in _NO_DATE:
                return self.SKIPPED
            self._read(turn, state, phrase, refuse)
            return None
        if self._corrected(turn, state, refuse):
            return None
        answer = choose(turn, state)
        if answer in ("ja", EARLIER) and state.pending_date is not None:
            moment, state.pending_date = state.pending_date, None
            return _working_day_before(turn, moment) if answer == EARLIER else moment
        if answer is not None:
            self.ask(turn, state, turn.t("date.ask_again"))
        return None

    def _corrected(self, turn: Turn, state: DialogueState[Any], refuse: Refusal | None) -> bool:
        """At 'Klopt dat?' another date ('vrijdag', 'nee, 15 december') is the correction: read as if the question
        had been asked again, instead of refused as no answer to yes or no."""
        if not is_correction(turn, state):
            return False
        phrase = _LEADING_NO.sub("", turn.incoming.text).strip()
        if not phrase or self._reading(turn, phrase).moment is None:
            return False
        state.pending_date = None
        state.step = self.name
        self._read(turn, state, phrase, refuse)
        return True

    def _reading(self, turn: Turn, phrase: str) -> DateReading:
        if self.rough and fold(phrase) in _NEXT_WEEK:
            phrase = f"{phrase} {_NEXT_WEEK[fold(phrase)]}"
        default = (
            time(0) if self.looking_back else _clock(str(getattr(turn.settings, self.default_time_setting)))
        )
        return parse_dutch_datetime(
            phrase,
            turn.now(),
            default,
            past=self.looking_back,
            working=turn.calendar.is_working_day,
            english=turn.lang == "en",
            seasons=turn.definitions.region.school_holidays,
        )

    def _read(self, turn: Turn, state: DialogueState[Any], phrase: str, refuse: Refusal | None) -> None:
        reading = self._reading(turn, phrase)
        if reading.problem is not None:
            turn.say(f"date.problem.{reading.problem.value}")
            return
        assert reading.moment is not None
        refused = refuse(reading.moment) if refuse is not None else None
        if refused is not None:
            self.ask(turn, state, refused)
            return
        state.pending_date = reading.moment
        state.step = f"{self.name}:confirm"
        written = long_date(turn.texts, turn.lang, reading.moment, turn.tz, with_time=True)
        earlier = _working_day_before(turn, reading.moment)
        if self.looking_back or earlier == reading.moment:
            confirm = "date.confirm_next_year" if reading.next_year else "date.confirm"
            turn.offer(state, turn.t(confirm, when=written), turn.yes_no())
            return
        # A deadline or overleg on a weekend or holiday is flagged whatever words made it ('morgen' on a Friday
        # evening), kept if meant, and the working day before offered while it is still to come.
        choices = [Choice("ja", turn.t("date.keep")), Choice("nee", turn.t("date.other"))]
        if earlier < turn.now():
            turn.offer(state, turn.t("date.not_working_only", when=written), choices)
            return
        before = long_date(turn.texts, turn.lang, earlier, turn.tz, with_time=True)
        choices.insert(1, Choice(EARLIER, turn.t("date.earlier", when=before)))
        turn.offer(state, turn.t("date.not_working", when=written), choices)
