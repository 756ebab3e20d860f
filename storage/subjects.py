"""A referral's identifying details and the signed, single-use forms they are entered through.

A form is a row bound to one professional and one case; the token that opens it is the row's id and an HMAC of
what the row binds (case, professional, expiry), keyed with a key derived from a store key. Nobody can make a
token for another row, case or person without that key, and single use is one conditional UPDATE, so two
submits racing each other (two tabs, two processes) record at most one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import privacy
from storage.crypto import StoreKeyError, keyring_of
from storage.models import Case, CaseSubject, SubjectForm
from storage.privacy import Decision
from storage.subject_search import lookup_of

LINK_KEY_PURPOSE = "vhbot subject form links"
# What a form is for: entering a case's details (the melder's form) or reading them once (the procesregisseur's).
ENTER = "enter"
READ = "read"


class FormState(StrEnum):
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class SubjectDetails:
    name: str
    birth_date: str
    address: str


def _signature(session: AsyncSession, form: SubjectForm) -> str:
    key = keyring_of(session.get_bind().dialect).derived(form.key_id, LINK_KEY_PURPOSE)
    bound = f"{form.id}:{form.case_id}:{form.professional_id}:{int(form.expires_at.timestamp())}"
    if form.purpose != ENTER:  # forms to enter details were signed before they had a purpose
        bound += f":{form.purpose}"
    digest = hmac.new(key, bound.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


async def issue(
    session: AsyncSession,
    case_id: int,
    professional_id: int,
    now: datetime,
    lifetime: timedelta,
    style: str,
    purpose: str = ENTER,
) -> str:
    """A new form for this case and person, handed out as ``style`` (a card or a link), to enter or to read the
    details (``purpose``); returns its token (the only place the token exists)."""
    form = SubjectForm(
        case_id=case_id,
        professional_id=professional_id,
        style=style,
        purpose=purpose,
        key_id=keyring_of(session.get_bind().dialect).current,
        created_at=now,
        # Whole seconds: the signature binds the expiry as a Unix time.
        expires_at=(now + lifetime).replace(microsecond=0),
    )
    session.add(form)
    await session.flush()
    return f"{form.id}.{_signature(session, form)}"


async def find(session: AsyncSession, token: str, now: datetime) -> tuple[FormState, SubjectForm | None]:
    """The form a token opens and whether it may still be used. A token whose signature does not check out is
    INVALID whatever row its id names, so ids cannot be probed for being used or expired."""
    form_id, _, signature = token.partition(".")
    # Only the form issue() writes: ASCII digits without leading zeros (int() would also read '５' or '07').
    canonical = (
        form_id.isascii() and form_id.isdigit() and len(form_id) <= 18 and str(int(form_id)) == form_id
    )
    if not canonical or not signature.isascii():
        return FormState.INVALID, None
    form = await session.get(SubjectForm, int(form_id))
    if form is None:
        return FormState.INVALID, None
    try:
        expected = _signature(session, form)
    except StoreKeyError:
        return FormState.INVALID, None  # signed with a key that has since been removed
    if not hmac.compare_digest(expected, signature):
        return FormState.INVALID, None
    if form.used_at is not None:
        return FormState.USED, form
    if form.expires_at <= now:
        return FormState.EXPIRED, form
    return FormState.OPEN, form


async def consume(session: AsyncSession, form: SubjectForm, now: datetime) -> bool:
    """Mark the form used; False when another submit (or the clock) got there first."""
    result = await session.execute(
        update(SubjectForm)
        .where(SubjectForm.id == form.id, SubjectForm.used_at.is_(None), SubjectForm.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def record(
    session: AsyncSession,
    case_id: int,
    details: SubjectDetails,
    entered_by_id: int,
    now: datetime,
    by: str = "the details form",
    reason: str = "entered again through the details form",
) -> bool:
    """Keep the details for the case, replacing earlier ones; True when there were earlier ones (then kept,
    encrypted, in a correction's decision, with ``by`` and ``reason``)."""
    existing = await session.get(CaseSubject, case_id)
    lookup = lookup_of(session, details.name, details.birth_date)
    if existing is None:
        session.add(
            CaseSubject(
                case_id=case_id,
                name=details.name,
                birth_date=details.birth_date,
                address=details.address,
                entered_by_id=entered_by_id,
                entered_at=now,
                lookup=lookup,
            )
        )
        return False
    # Corrected (AVG art. 16): the earlier details are kept only in the decision that accounts for it.
    earlier = json.dumps(
        {"naam": existing.name, "geboortedatum": existing.birth_date, "adres": existing.address}
    )
    number = await session.scalar(select(Case.number).where(Case.id == case_id))
    await privacy.decide(session, Decision.CORRECTION, number, by, reason, now, previous=earlier)
    existing.name, existing.birth_date, existing.address = details.name, details.birth_date, details.address
    existing.entered_by_id, existing.entered_at, existing.lookup = entered_by_id, now, lookup
    return True


async def details(session: AsyncSession, case_id: int) -> SubjectDetails | None:
    """The case's identifying details, decrypted: only for the page or card that shows them, never for chat."""
    found = await session.get(CaseSubject, case_id)
    return None if found is None else SubjectDetails(found.name, found.birth_date, found.address)


async def entered_by(session: AsyncSession, case_id: int) -> int | None:
    return await session.scalar(select(CaseSubject.entered_by_id).where(CaseSubject.case_id == case_id))


async def entered_at(session: AsyncSession, case_id: int) -> datetime | None:
    """When the case's identifying details were entered (None: not yet); reads no encrypted column."""
    return await session.scalar(select(CaseSubject.entered_at).where(CaseSubject.case_id == case_id))
