"""``gegevens [number]``: a new form for a referral's identifying details (a link expired, or they changed)."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.authorization import CASE_WORKERS, Access, may_enter_subject
from handlers.cases.one_case import OneCase
from handlers.dialogue.turn import Turn
from handlers.identifying import forms
from storage import cases
from storage.models import Case, CaseState

KIND = "subject"


async def _own_open_referrals(turn: Turn) -> Sequence[Case]:
    referred = await cases.referred_by(turn.session, turn.person.id)
    return [case for case in referred if case.state is not CaseState.AFGESLOTEN]


CONVERSATION = OneCase(
    KIND,
    CASE_WORKERS,
    Access.REFERRAL_STATE,
    "case.subject.ask",
    may_enter_subject,
    _own_open_referrals,
    forms.offer,
).conversation()
