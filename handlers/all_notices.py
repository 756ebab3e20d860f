"""Every kind of notice this version writes, from the modules that send them: what the delivery engine knows,
and how the ones that ask something are answered in place.

A row of a kind not listed here was written by a newer version and waits for it (a rolling upgrade); a kind
listed here has its texts checked against its references by a test. A new notice is declared beside the code
that sends it, with a ``NOTICES`` tuple there, and that tuple is added below; where the person answers it in one
step, the dialogue it leaves open goes in ``ANSWERS``; where it needs the store to decide whether it is still due,
to add lines or to be written at all, that goes in ``DECLARED``.
"""

from __future__ import annotations

from typing import Any

from config.catalogue import Catalogue
from handlers import accounts, notices, overleg, reminders
from handlers.cases import flow, lifecycle, posting
from handlers.conversations import (
    actions,
    admission,
    away,
    change,
    escalation,
    feedback,
    intake,
    participants,
    plan,
    referral,
    stand_in,
    updates,
)
from handlers.dialogue.state import DialogueState
from handlers.joining import linking, requests
from handlers.notice_kind import NoticeKind
from handlers.notices import Answer, Declared
from storage.models import Action, PendingMessage

NOTICES: tuple[NoticeKind[Any], ...] = (
    *referral.NOTICES,
    *intake.NOTICES,
    *lifecycle.NOTICES,
    *flow.NOTICES,
    *plan.NOTICES,
    *change.NOTICES,
    *actions.NOTICES,
    *reminders.NOTICES,
    *posting.NOTICES,
    *participants.NOTICES,
    *escalation.NOTICES,
    *stand_in.NOTICES,
    *admission.NOTICES,
    *requests.NOTICES,
    *linking.NOTICES,
    *accounts.NOTICES,
    *notices.NOTICES,
    *overleg.NOTICES,
    *away.NOTICES,
)


def _reminder(
    texts: Catalogue, language: str, row: PendingMessage, action: Action | None
) -> DialogueState[Any] | None:
    """Done, an update or a new date, answered where the reminder arrived."""
    return None if action is None else actions.reminder_answer_state(texts, language, action.id)


def _question(
    texts: Catalogue, language: str, row: PendingMessage, action: Action | None
) -> DialogueState[Any] | None:
    """The procesregisseur's question, read and answered in one step."""
    return (
        None if row.case_number is None else feedback.question_answer_state(texts, language, row.case_number)
    )


def _prepared(
    texts: Catalogue, language: str, row: PendingMessage, action: Action | None
) -> DialogueState[Any] | None:
    """A participant's update before the overleg, given where the question arrived."""
    return (
        None if row.case_number is None else feedback.prepared_answer_state(texts, language, row.case_number)
    )


def _update(
    texts: Catalogue, language: str, row: PendingMessage, action: Action | None
) -> DialogueState[Any] | None:
    """The update (or zorgsignaal) read with one word or button."""
    return None if row.case_number is None else updates.read_updates_state(texts, language, row.case_number)


ANSWERS: dict[str, Answer] = {
    **dict.fromkeys((*reminders.ANSWERABLE, overleg.PREPARE), _reminder),
    intake.REFERRAL_QUESTION: _question,
    overleg.PREPARE_PARTICIPANT: _prepared,
    posting.FEEDBACK: _update,
    posting.ZORGSIGNAAL: _update,
}

DECLARED = Declared(
    NOTICES,
    ANSWERS,
    still_due={
        referral.NEW_REFERRAL: referral.still_new,
        referral.REFERRAL_WAITING: referral.still_new,
        referral.TERM_ENDS: referral.undecided,
        referral.LATE: referral.undecided,
        **dict.fromkeys(stand_in.ENDED, stand_in.still_ends_then),
        **dict.fromkeys(overleg.ASKED, overleg.still_asked),
        overleg.AGENDA: overleg.agenda_still_due,
        away.HOLDER_AWAY: away.still_away,
        away.HOLDER_BACK: away.still_back,
    },
    details={
        stand_in.ENDED[1]: stand_in.account,
        referral.LATE: referral.whom_to_call,
        overleg.AGENDA: overleg.agenda_notice_lines,
        away.HOLDER_AWAY: away.held_actions,
    },
    written={requests.JOIN_REQUEST: admission.request_notice},
)
