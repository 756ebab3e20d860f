"""The case's leefgebieden and ketens, whether the betrokkene was informed, and the check's outcome, encrypted.

They are health and criminal data (psychisch, verslaving; the justice chain; "not informed: a criminal
investigation is running") next to a case number (AVG art. 9 and 10), so they are kept like the other free text;
figures about them are computed after decryption. Values already stored are encrypted in place.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa

from storage.column_encryption import Column, decrypt, encrypt, require_key

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ENCRYPTED: list[Column] = [
    ("cases", "id", "leefgebieden", sa.JSON()),
    ("cases", "id", "ketens", sa.JSON()),
    ("cases", "id", "informed", sa.String(length=32)),
    ("cases", "id", "check_outcome", sa.String(length=32)),
]


def upgrade() -> None:
    require_key(ENCRYPTED)
    encrypt(ENCRYPTED)


def downgrade() -> None:
    decrypt(ENCRYPTED)
