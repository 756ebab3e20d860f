"""Everything one handled message needs, and the few side effects a handler may cause through it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from config.catalogue import Catalogue
from config.definitions import Definitions
from config.settings import Settings
from handlers.dates.clock import Clock
from handlers.dates.working_days import WorkingCalendar
from handlers.dialogue.choices import ManyPicked, read_many, read_one
from handlers.dialogue.messages import Choice, Incoming, Reply
from handlers.dialogue.state import DialogueState
from handlers.notice_kind import NoticeKind, R
from storage import audit, outbox
from storage.people import Author

# The catalogue line a channel with buttons says instead (see Incoming.buttons).
BUTTONS_VARIANT = "_buttons"


@dataclass
class Turn:
    """One incoming message from a known person, inside one database transaction."""

    session: AsyncSession
    person: Author
    incoming: Incoming
    clock: Clock
    settings: Settings
    texts: Catalogue
    definitions: Definitions
    calendar: WorkingCalendar
    # The help lines this person may read: given by the dispatcher, which holds the list of conversations.
    help_lines: Callable[[Turn], list[str]]
    replies: list[Reply] = field(default_factory=list)
    # Whom the person acts for in this turn, when not their own organisation: a waarneming's absent colleague.
    on_behalf_of: str | None = None

    @property
    def lang(self) -> str:
        return self.person.language

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """The day it is where the ZVH is (just after midnight here is still yesterday in UTC)."""
        return self.now().astimezone(self.tz).date()

    def t(self, key: str, **params: object) -> str:
        """The line in the person's language, in its variant for channels with buttons where it has one."""
        if self.incoming.buttons and self.texts.has(f"{key}{BUTTONS_VARIANT}"):
            key = f"{key}{BUTTONS_VARIANT}"
        return self.texts.text(self.lang, key, **params)

    def say(self, key: str, **params: object) -> None:
        self.replies.append(Reply(self.t(key, **params)))

    def say_lines(self, lines: list[str]) -> None:
        self.replies.append(Reply("\n".join(lines)))

    def offer(
        self, state: DialogueState[Any], text: str, choices: list[Choice], *, multiple: bool = False
    ) -> None:
        """Ask a question with options and remember them, so the answer can be read next turn."""
        state.offered, state.left_by_notice = tuple(choices), False
        self._ask(state, Reply(text, tuple(choices), multiple))

    def ask_open(self, state: DialogueState[Any], text: str) -> None:
        """Ask a question answered in free text; with no options stored, no entry word can end the dialogue."""
        state.offered, state.left_by_notice = (), False
        self._ask(state, Reply(text))

    def _ask(self, state: DialogueState[Any], question: Reply) -> None:
        """Send the question, and keep it with the dialogue so it can be asked again when the person comes back
        to it ('verder')."""
        state.asked = question.to_json()
        self.replies.append(question)

    def reoffer(self, state: DialogueState[Any]) -> None:
        """The answer was none of the options: say so and show the same options again."""
        self.replies.append(Reply(self.t("form.invalid_choice"), state.offered))

    def yes_no(self) -> list[Choice]:
        return [Choice("ja", self.t("option.yes")), Choice("nee", self.t("option.no"))]

    def picked(self, state: DialogueState[Any]) -> str | None:
        """The option the message names, exactly (a pressed key; typed: a number, a word, a synonym): what decides
        whether a message answers the open question at all."""
        return self.pick(state.offered)

    def pick(self, choices: Sequence[Choice]) -> str | None:
        """Which of ``choices`` the message names, offered or not (a yes or no asked inside a step)."""
        return read_one(self.incoming, choices, self.texts.synonyms())

    def picked_many(self, state: DialogueState[Any]) -> ManyPicked:
        return read_many(self.incoming, state.offered, self.texts.synonyms(), loosely=True)

    async def audit(
        self, event: str, case_number: str | None = None, on_behalf_of: str | None = None
    ) -> None:
        """Who did what to which case, through which channel; ``on_behalf_of`` names someone else the person
        acted for (by default: their own organisation)."""
        await audit.record(
            self.session,
            at=self.now(),
            actor_id=self.person.id,
            on_behalf_of=on_behalf_of or self.on_behalf_of or self.person.organisation_name,
            event=event,
            case_number=case_number,
            channel=self.incoming.channel,
        )

    async def audit_shown(self, event: str, case_numbers: Iterable[str]) -> None:
        """A view of several cases: one entry per case it showed, so the trail of each case says who saw it
        (one entry without a case when it showed none)."""
        shown: list[str | None] = [*sorted(set(case_numbers))] or [None]
        entries: list[dict[str, object]] = [
            {
                "at": self.now(),
                "actor_id": self.person.id,
                "on_behalf_of": self.on_behalf_of or self.person.organisation_name,
                "event": event,
                "case_number": number,
                "channel": self.incoming.channel,
            }
            for number in shown
        ]
        await audit.record_many(self.session, entries)

    async def notify(
        self,
        recipient_id: int,
        kind: NoticeKind[R],
        case_number: str | None,
        references: R,
        *,
        urgent: bool = False,
        at: datetime | None = None,
        action_id: int | None = None,
    ) -> None:
        """Queue a notice, now or ``at`` a moment, moved into the next allowed sending window.

        It carries the references its kind declares (case number, action number, ids), never case content.
        """
        moment = self.calendar.next_allowed(at or self.now(), urgent)
        await outbox.enqueue(
            self.session,
            recipient_id=recipient_id,
            kind=kind,
            params={"case": case_number, **references.as_params()},
            case_number=case_number,
            scheduled_at=moment,
            now=self.now(),
            urgent=urgent,
            action_id=action_id,
        )
