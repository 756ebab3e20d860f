"""``inzien [number]``: the procesregisseur directing a case (or standing in) reads its identifying details once,
on a page or a card the bot hands out; never in chat (see ``handlers.identifying.reading``)."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.authorization import DIRECTORS, Access, may_read_subject
from handlers.cases.lookup import directed_ids
from handlers.cases.one_case import OneCase
from handlers.dialogue.turn import Turn
from handlers.identifying import reading
from storage import cases
from storage.models import Case, CaseState

KIND = "subject_view"


async def _directed_open_cases(turn: Turn) -> Sequence[Case]:
    directed = await cases.directed_by(turn.session, await directed_ids(turn))
    return [case for case in directed if case.state is not CaseState.AFGESLOTEN]


CONVERSATION = OneCase(
    KIND,
    DIRECTORS,
    Access.FULL,
    "case.subject.view",
    may_read_subject,
    _directed_open_cases,
    reading.offer_view,
).conversation()
