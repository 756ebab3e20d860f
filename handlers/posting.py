"""Posting a terugkoppeling: shared by the feedback conversation and an update on an action."""

from __future__ import annotations

from handlers import forms
from handlers.messages import DialogueState
from handlers.turn import Turn
from storage import feedback, people
from storage.models import Case, Role


async def post_feedback(turn: Turn, case: Case, action_id: int | None, body: str, concern: bool) -> None:
    """Store the update and tell the procesregisseur at once; a zorgsignaal is urgent.

    While a referral has no procesregisseur yet, every procesregisseur hears of it.
    """
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
    if case.procesregisseur_id is not None:
        recipients = [case.procesregisseur_id]
    else:
        recipients = [p.id for p in await people.active_with_role(turn.session, Role.PROCESREGISSEUR)]
    for recipient in recipients:
        if recipient != turn.person.id:
            await turn.notify(
                recipient, "zorgsignaal" if concern else "feedback", case.number, urgent=concern
            )
    turn.say("feedback.sent_concern" if concern else "feedback.sent", number=case.number)


def ask_text(turn: Turn, state: DialogueState) -> DialogueState:
    state.step = "text"
    turn.ask_open(state, turn.t("feedback.text_prompt"))
    return state


async def text_then_concern(
    turn: Turn, state: DialogueState, case: Case, action_id: int | None
) -> DialogueState | None:
    """The last two steps of any update: the text ('text'), then whether it is a zorgsignaal ('concern')."""
    if state.step == "text":
        text = forms.read_free_text(turn)
        if text is not None:
            state.data["text"] = text
            state.step = "concern"
            turn.offer(state, turn.t("feedback.concern_prompt"), turn.yes_no())
        return state
    concern = turn.picked(state)
    if concern is None:
        turn.reoffer(state)
        return state
    await post_feedback(turn, case, action_id, state.data["text"], concern == "ja")
    return None
