"""Invite codes for joining an organisation as melder.

A code is ten random letters and digits (about 50 bits), shown once when it is made. The store keeps a keyed
hash of it (HMAC with a key derived from each store key, so a copy of the database alone cannot test guesses), and
using one is one conditional UPDATE, so two people racing for the last use get one each at most.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import keyring_of
from storage.models import Invite

CODE_PURPOSE = "vhbot invite codes"
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 10


def normalised(code: str) -> str:
    """As typed, in any case, with or without its hyphen and spaces."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hashes(session: AsyncSession, code: str) -> list[str]:
    """The code's hash under every key the store knows (a code made before a key rotation still works)."""
    keyring = keyring_of(session.get_bind().dialect)
    plain = normalised(code).encode()
    return [
        hmac.new(keyring.derived(key_id, CODE_PURPOSE), plain, hashlib.sha256).hexdigest()
        for key_id in keyring.keys
    ]


async def new(
    session: AsyncSession,
    organisation_id: int,
    uses: int,
    expires_at: datetime,
    now: datetime,
    created_by: str,
) -> str:
    """A new code for the organisation; returns it (the only place it exists), as XXXXX-XXXXX."""
    code = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    keyring = keyring_of(session.get_bind().dialect)
    digest = hmac.new(
        keyring.derived(keyring.current, CODE_PURPOSE), code.encode(), hashlib.sha256
    ).hexdigest()
    session.add(
        Invite(
            organisation_id=organisation_id,
            code_hash=digest,
            uses_left=uses,
            expires_at=expires_at,
            created_at=now,
            created_by=created_by,
        )
    )
    await session.flush()
    return f"{code[:5]}-{code[5:]}"


async def use(session: AsyncSession, code: str, now: datetime) -> int | None:
    """Use the code once: the organisation it is for, or None when it is unknown, used up or expired."""
    if len(normalised(code)) != CODE_LENGTH:
        return None
    result = await session.execute(
        update(Invite)
        .where(Invite.code_hash.in_(_hashes(session, code)), Invite.uses_left > 0, Invite.expires_at > now)
        .values(uses_left=Invite.uses_left - 1)
        .returning(Invite.organisation_id)
        .execution_options(synchronize_session=False)
    )
    found = result.scalar_one_or_none()
    return int(found) if found is not None else None
