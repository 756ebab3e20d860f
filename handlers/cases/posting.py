"""Posting a terugkoppeling: shared by the feedback conversation and an update on an action."""

from __future__ import annotations

from typing import Protocol, TypeVar

from handlers import recipients
from handlers.dialogue.answers import confirmed
from handlers.dialogue.state import DialogueState
from handlers.dialogue.turn import Turn
from handlers.identifying.free_text import read_text
from handlers.notice_kind import NOTHING, Nothing, NoticeKind
from storage import feedback
from storage.models import Case

FEEDBACK = NoticeKind("feedback", Nothing)
ZORGSIGNAAL = NoticeKind("zorgsignaal", Nothing)  # urgent: it goes out at once, even outside working hours
NOTICES = (FEEDBACK, ZORGSIGNAAL)
TEXT = "text"
CONCERN = "concern"


class Drafting(Protocol):
    """A conversation state that holds the text of an update between its two steps."""

    text: str | None


D = TypeVar("D", bound=Drafting)


async def post_feedback(turn: Turn, case: Case, action_id: int | None, body: str, concern: bool) -> None:
    """Store the update and tell the procesregisseur at once; a zorgsignaal is urgent."""
    await feedback.add(
        turn.session,
        case_id=case.id,
        action_id=action_id,
        author_id=turn.person.id,
        body=body,
        concern=concern,
        now=turn.now(),
    )
    await turn.audit("feedback.create", case.number)
    for recipient in await recipients.directors_of(turn.session, case):
        if recipient != turn.person.id:
            await turn.notify(
                recipient, ZORGSIGNAAL if concern else FEEDBACK, case.number, NOTHING, urgent=concern
            )
    turn.say("feedback.sent_concern" if concern else "feedback.sent", number=case.number)


def ask_text(turn: Turn, state: DialogueState[D]) -> DialogueState[D]:
    state.step = TEXT
    turn.ask_open(state, turn.t("feedback.text_prompt"))
    return state


async def on_text(turn: Turn, state: DialogueState[D]) -> DialogueState[D]:
    """The update's text; then whether it is a zorgsignaal."""
    text = await read_text(turn, state)
    if text is not None:
        state.data.text = text
        state.step = CONCERN
        turn.offer(state, turn.t("feedback.concern_prompt"), turn.yes_no())
    return state


async def on_concern(
    turn: Turn, state: DialogueState[D], case: Case, action_id: int | None
) -> DialogueState[D] | None:
    concern = confirmed(turn, state)
    if concern is None or state.data.text is None:
        return state
    await post_feedback(turn, case, action_id, state.data.text, concern)
    return None
