"""``instellingen``: a professional's own settings in one place (issue 36, part 4): the language, whether routine
reminders come one by one or as one digest a working day at a time they pick, and being away (``away``).

Reminders to act at once (urgent ones) and the overdue notices to a procesregisseur never wait for a digest; what
counts as routine is each notice kind's own declaration (``NoticeKind.routine``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from handlers import pacing
from handlers.authorization import ANYONE
from handlers.conversations import away, language
from handlers.dates.dutch import parse_clock
from handlers.dates.formatting import long_date
from handlers.dialogue.conversation import Conversation
from handlers.dialogue.messages import Choice
from handlers.dialogue.state import DialogueState
from handlers.dialogue.steps import Steps
from handlers.dialogue.turn import Turn
from storage import outbox, people
from storage.models import Professional

KIND = "preferences"
MENU, LANGUAGE, REMINDERS, CLOCK = "menu", "language", "reminders", "clock"
SEPARATE, DIGEST = "los", "overzicht"


@dataclass
class PreferencesState:
    pass


Preferences = DialogueState[PreferencesState]
steps: Steps[PreferencesState, None] = Steps()


def _clock(at: time) -> str:
    return f"{at:%H:%M}"


def _window(turn: Turn) -> dict[str, str]:
    """The sending window, which a digest's time must lie in, as its texts say it."""
    return {"start": _clock(turn.calendar.window_start), "end": _clock(turn.calendar.window_end)}


def _lines(turn: Turn, person: Professional) -> list[str]:
    reminders = (
        turn.t("preferences.digest", at=_clock(person.digest_at))
        if person.digest_at is not None
        else turn.t("preferences.separate")
    )
    back = pacing.back_at(person, turn.calendar, turn.settings)
    absent = (
        turn.t("preferences.away_until", when=long_date(turn.texts, turn.lang, back, turn.tz))
        if back is not None and back > turn.now()
        else turn.t("preferences.not_away")
    )
    return [
        turn.t("preferences.title"),
        turn.t("preferences.language", name=turn.t(f"preferences.language_{turn.lang}")),
        turn.t("preferences.reminders", how=reminders),
        turn.t("preferences.away", how=absent),
    ]


async def start(turn: Turn, argument: str) -> Preferences:
    person = await people.professional_by_id(turn.session, turn.person.id)
    assert person is not None, "the dispatcher found them"
    state = DialogueState(KIND, MENU, PreferencesState())
    turn.offer(
        state,
        "\n".join([*_lines(turn, person), turn.t("preferences.pick")]),
        [
            Choice(LANGUAGE, turn.t("preferences.option.language")),
            Choice(REMINDERS, turn.t("preferences.option.reminders")),
            Choice(away.KIND, turn.t("preferences.option.away")),
        ],
    )
    return state


async def resume(turn: Turn, state: Preferences) -> DialogueState[Any] | None:
    return await steps.run(turn, state, None)


@steps.choice(MENU)
async def _on_menu(turn: Turn, state: Preferences, _: None, picked: str) -> DialogueState[Any] | None:
    if picked == away.KIND:
        return await away.start(turn, "")
    state.step = picked
    if picked == LANGUAGE:
        turn.offer(
            state,
            turn.t("preferences.which_language"),
            [
                Choice("nl", turn.t("preferences.language_nl")),
                Choice("en", turn.t("preferences.language_en")),
            ],
        )
        return state
    turn.offer(
        state,
        turn.t("preferences.how", **_window(turn)),
        [
            Choice(SEPARATE, turn.t("preferences.option.separate")),
            Choice(DIGEST, turn.t("preferences.option.digest")),
        ],
    )
    return state


@steps.choice(LANGUAGE)
async def _on_language(turn: Turn, state: Preferences, _: None, picked: str) -> None:
    await language.start(turn, picked)


@steps.choice(REMINDERS)
async def _on_reminders(turn: Turn, state: Preferences, _: None, picked: str) -> Preferences | None:
    if picked == SEPARATE:
        await _set_digest(turn, None)
        turn.say("preferences.separate_saved")
        return None
    state.step = CLOCK
    turn.ask_open(state, turn.t("preferences.clock_prompt", **_window(turn)))
    return state


@steps(CLOCK)
async def _on_clock(turn: Turn, state: Preferences, _: None) -> Preferences | None:
    at = parse_clock(turn.incoming.text, english=turn.lang == "en")
    window = _window(turn)
    if at is None:
        turn.ask_open(state, turn.t("preferences.clock_unknown", **window))
        return state
    if not turn.calendar.in_window(at):
        turn.ask_open(state, turn.t("preferences.clock_outside", at=_clock(at), **window))
        return state
    await _set_digest(turn, at)
    first = pacing.next_digest(turn.calendar, at, turn.now())
    turn.say("preferences.digest_saved", at=_clock(at), when=long_date(turn.texts, turn.lang, first, turn.tz))
    return None


async def _set_digest(turn: Turn, at: time | None) -> None:
    """Saved, and the reminders already set aside looked at afresh: for the new moment, or sent now."""
    await people.set_digest(turn.session, turn.person.id, at)
    await outbox.release_set_aside(turn.session, turn.person.id, pacing.ROUTINE, turn.now())
    await turn.audit("preferences.digest")


CONVERSATION = Conversation(KIND, ANYONE, PreferencesState, start, resume, browsing=frozenset({MENU}))
