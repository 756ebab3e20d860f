"""The end of an account: which ones to review, and disabling one without dropping what it held.

A disabled person keeps their history (referrals, updates, the audit trail name them); their open actions go to
the procesregisseur of each case, who is told and picks a new holder. Where the case has no procesregisseur, or
the person was it, the action is held by the organisation (any colleague there sees it as theirs).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.notice_kind import NoticeKind, References
from storage import accounts, audit, outbox
from storage.models import Professional


@dataclass(frozen=True)
class HandedOn(References):
    person: int  # whose account was disabled
    count: int  # how many of their open actions on this case are the procesregisseur's now


ACTIONS_HANDED_ON = NoticeKind("actions_handed_on", HandedOn)
NOTICES = (ACTIONS_HANDED_ON,)


@dataclass(frozen=True)
class ToReview:
    person: Professional
    gone: bool  # Teams reports the account gone (else: unused for the months set)


async def to_review(session: AsyncSession, now: datetime, months: int) -> list[ToReview]:
    """Everyone Teams reports gone, and everyone else unused for ``months``, by handle."""
    gone = await accounts.gone_from_teams(session)
    gone_ids = {person.id for person in gone}
    unused = await accounts.unused_since(session, now - relativedelta(months=months))
    found = [ToReview(person, True) for person in gone]
    found += [ToReview(person, False) for person in unused if person.id not in gone_ids]
    return sorted(found, key=lambda item: item.person.handle)


async def disable(
    session: AsyncSession,
    person: Professional,
    now: datetime,
    *,
    by: str,
    channel: str,
) -> int:
    """Disable the account and hand its open actions on; how many were handed on. Each procesregisseur who
    receives some is told once per case. The person's own audit trail says it happened and ``by`` whom (the one
    who did it audits their own act as well)."""
    person.active = False
    handed = 0
    per_case: Counter[tuple[str, int]] = Counter()
    for action, case in await accounts.open_actions_held(session, person.id):
        director = case.procesregisseur_id if case.procesregisseur_id != person.id else None
        action.holder_id = director
        handed += 1
        if director is not None:
            per_case[(case.number, director)] += 1
    for (number, director), count in per_case.items():
        await outbox.enqueue(
            session,
            recipient_id=director,
            kind=ACTIONS_HANDED_ON,
            params={"case": number, **HandedOn(person.id, count).as_params()},
            case_number=number,
            scheduled_at=now,
            now=now,
        )
    await audit.record(
        session,
        at=now,
        actor_id=person.id,
        on_behalf_of=by,
        event="person.disabled",
        case_number=None,
        channel=channel,
    )
    return handed
