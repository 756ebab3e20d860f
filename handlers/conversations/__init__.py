"""Everything a person can start, one module each, in the order the help text lists them.

Each module declares itself with a ``CONVERSATION`` (kind, who may start it, its typed state, how it starts and
continues: see ``handlers.dialogue.conversation``). The dispatcher's table, the help text and the entry words
are all built from this one list; a new conversation is a new module and one line here.
"""

from __future__ import annotations

from typing import Any

from handlers.conversations import (
    accounts,
    actions,
    admission,
    agenda,
    away,
    change,
    check,
    escalation,
    feedback,
    figures,
    gemeenten,
    help,
    intake,
    invite,
    language,
    manage,
    participants,
    plan,
    preferences,
    referral,
    stand_in,
    status,
    subject,
    subject_view,
    updates,
)
from handlers.dialogue.conversation import Conversation

CONVERSATIONS: tuple[Conversation[Any], ...] = (
    help.CONVERSATION,
    check.CONVERSATION,
    referral.CONVERSATION,
    subject.CONVERSATION,
    subject_view.CONVERSATION,
    actions.CONVERSATION,
    feedback.CONVERSATION,
    status.CONVERSATION,
    intake.CONVERSATION,
    plan.CONVERSATION,
    manage.CONVERSATION,
    change.CONVERSATION,
    participants.CONVERSATION,
    stand_in.CONVERSATION,
    updates.CONVERSATION,
    agenda.CONVERSATION,
    figures.CONVERSATION,
    escalation.CONVERSATION,
    invite.CONVERSATION,
    admission.CONVERSATION,
    accounts.CONVERSATION,
    gemeenten.CONVERSATION,
    preferences.CONVERSATION,
    away.CONVERSATION,
    away.BACK,
    language.CONVERSATION,
)
