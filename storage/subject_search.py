"""Finding a betrokkene's cases by name and date of birth, for an operator answering their request (AVG art. 15-18),
without decrypting every row on each search.

Beside the encrypted details each case keeps a keyed hash (HMAC-SHA256, with a key derived from a store key) of
the normalised name and birth date. The same person typed differently ("Jan van der Berg", "J. VAN DER BERG" is not
the same, but "jan Van der  Berg" and "Jan vander Berg" are) gives the same hash; without the store key the
hash tells nothing. A row whose hash is missing (entered before the search existed) or made with a key no longer
current is hashed again at the next search, from its decrypted details: once, not every time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import Keyring, keyring_of
from storage.models import Case, CaseSubject

SEARCH_KEY_PURPOSE = "vhbot betrokkene search"
# Dutch tussenvoegsels: written apart, together, capitalised or not, and left out by some.
TUSSENVOEGSELS = frozenset(
    {"van", "de", "der", "den", "het", "ten", "ter", "te", "in", "op", "aan", "bij", "uit", "t", "d"}
    | {"la", "le", "du", "del", "dos", "da", "di", "von", "vom", "zu", "zum"}
)


def normalised_name(name: str) -> str:
    """Letters only, without accents or case, tussenvoegsels left out: 'Jan van der Berg' → 'jan berg'."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(
        ch if ch.isalpha() or ch == "'" else " " for ch in plain if not unicodedata.combining(ch)
    )
    words = [word.strip("'") for word in letters.split()]
    kept = [word for word in words if word and word not in TUSSENVOEGSELS]
    # 'vander Berg', 'Vanderberg': a tussenvoegsel written against the name is taken off it too.
    return " ".join(filter(None, (_without_joined_prefix(word) for word in kept)))


def _without_joined_prefix(word: str) -> str:
    """'vanderberg' → 'berg', 'vander' → '' (written apart from 'Berg'). The same on storing and searching, so a
    name that merely starts so ('Vandaag' → 'daag') still finds itself; the operator checks what is found."""
    match = re.fullmatch(r"(?:van|ter|ten)(?:der|den|de)?(\w{3,})?|(?:van|ter|ten)(?:der|den|de)", word)
    if match is None:
        return word
    return match.group(1) or ""


def _digest(keyring: Keyring, key_id: str, name: str, birth_date: str) -> str:
    key = keyring.derived(key_id, SEARCH_KEY_PURPOSE)
    message = f"{normalised_name(name)}|{birth_date}".encode()
    return f"{key_id}:{hmac.new(key, message, hashlib.sha256).hexdigest()}"


def lookup_of(session: AsyncSession, name: str, birth_date: str) -> str:
    """The hash kept beside details entered now (``birth_date`` as stored: ISO 8601)."""
    keyring = keyring_of(session.get_bind().dialect)
    return _digest(keyring, keyring.current, name, birth_date)


async def _rehash_stale(session: AsyncSession, keyring: Keyring) -> None:
    current = f"{keyring.current}:"
    stale = await session.scalars(
        select(CaseSubject).where(or_(CaseSubject.lookup.is_(None), ~CaseSubject.lookup.startswith(current)))
    )
    for subject in stale:
        subject.lookup = _digest(keyring, keyring.current, subject.name, subject.birth_date)
    await session.flush()


async def cases_of(session: AsyncSession, name: str, birth_date: str) -> Sequence[Case]:
    """Every case, open or closed, whose betrokkene has this name and birth date (ISO 8601), by number."""
    keyring = keyring_of(session.get_bind().dialect)
    await _rehash_stale(session, keyring)
    query = (
        select(Case)
        .join(CaseSubject, CaseSubject.case_id == Case.id)
        .where(CaseSubject.lookup == _digest(keyring, keyring.current, name, birth_date))
        .order_by(Case.number)
    )
    return (await session.scalars(query)).all()
