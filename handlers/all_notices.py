"""Every kind of notice this version writes, from the modules that send them: what the delivery engine knows.

A row of a kind not listed here was written by a newer version and waits for it (a rolling upgrade); a kind
listed here has its texts checked against its references by a test. A new notice is declared beside the code
that sends it, with a ``NOTICES`` tuple there, and that tuple is added below.
"""

from __future__ import annotations

from typing import Any

from handlers import accounts, notices, reminders
from handlers.cases import flow, lifecycle, posting
from handlers.conversations import (
    actions,
    admission,
    change,
    escalation,
    intake,
    participants,
    plan,
    referral,
    stand_in,
)
from handlers.joining import linking, requests
from handlers.notice_kind import NoticeKind

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
)
