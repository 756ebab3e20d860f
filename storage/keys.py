"""Which encryption keys the store is written with: checked at start, and moved on by a rotation.

A rotation (``vhbot keys rotate``) makes a new key current in the key file, waits until every running process
has looked at that file again, then re-encrypts the store's values batch by batch, each batch its own short
transaction, so the bot keeps answering meanwhile. A value changed by the bot during the rotation is not
overwritten: the batch's update only applies where the value is still the one it read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Table, Text, column, inspect, select, table, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.sql.expression import TableClause

from storage.crypto import REFRESH_SECONDS, EncryptedJSON, EncryptedText, Keyring, StoreKeyError
from storage.models import Base, EncryptionKey

CHECK_PURPOSE = "encryption_keys.check_value"
CHECK_TEXT = "vhbot key check"
BATCH = 200


async def is_set_up(session: AsyncSession) -> bool:
    """Whether the store has been migrated far enough to record keys (a new store has nothing to protect)."""
    connection = await session.connection()
    return bool(await connection.run_sync(lambda sync: inspect(sync).has_table(EncryptionKey.__tablename__)))


async def in_use(session: AsyncSession) -> Sequence[EncryptionKey]:
    query = select(EncryptionKey).where(EncryptionKey.retired_at.is_(None)).order_by(EncryptionKey.added_at)
    return (await session.scalars(query)).all()


async def verify(session: AsyncSession, keyring: Keyring, now: datetime) -> None:
    """Every key the store is written with must be configured and be the right one; the configured current key
    is recorded (with its check value) the first time it is seen. Raises StoreKeyError with what to do."""
    recorded = await in_use(session)
    if not keyring.keys:
        if recorded:
            raise StoreKeyError(
                f"the store is encrypted, but {keyring.source} has no keys: configure the key file or "
                "VHBOT_ENCRYPTION_KEYS the store was written with"
            )
        keyring.create_file()
    for key in recorded:
        if key.key_id not in keyring.keys:
            raise StoreKeyError(f"the store is encrypted with key {key.key_id}, which {keyring.source} lacks")
        if not _checks_out(keyring, key):
            raise StoreKeyError(
                f"key {key.key_id} in {keyring.source} is not the key the store was written with"
            )
    await record_current(session, keyring, now)


def _checks_out(keyring: Keyring, key: EncryptionKey) -> bool:
    try:
        return keyring.decrypt(key.check_value, CHECK_PURPOSE) == CHECK_TEXT
    except StoreKeyError:
        return False


async def record_current(session: AsyncSession, keyring: Keyring, now: datetime) -> str:
    """Record the current key (once: processes starting together may both try)."""
    current = keyring.current
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(EncryptionKey)
        .values(key_id=current, check_value=keyring.encrypt(CHECK_TEXT, CHECK_PURPOSE), added_at=now)
        .on_conflict_do_nothing(index_elements=["key_id"])
    )
    return current


@dataclass(frozen=True)
class EncryptedColumn:
    table: Table
    key: Column[object]
    column: Column[object]

    @property
    def purpose(self) -> str:
        return str(self.column.type.purpose)  # type: ignore[attr-defined]

    def raw(self) -> TableClause:
        """The table with this column as plain text: the ciphertext as stored, not decrypted."""
        return table(self.table.name, column(self.key.name), column(self.column.name, Text()))


def encrypted_columns() -> Iterator[EncryptedColumn]:
    """Every encrypted column of the schema, found by its type (a new one cannot be forgotten here)."""
    for model_table in Base.metadata.sorted_tables:
        encrypted = [
            column for column in model_table.columns if isinstance(column.type, EncryptedText | EncryptedJSON)
        ]
        if (
            encrypted
        ):  # a table with something encrypted has one key column (a counts table has a composite one)
            (key,) = model_table.primary_key.columns
            for model_column in encrypted:
                yield EncryptedColumn(model_table, key, model_column)


@dataclass
class RotationReport:
    new_key: str
    re_encrypted: int
    retired: list[str]


async def rotate(
    engine: AsyncEngine, keyring: Keyring, now: datetime, *, new_key: bool = True, pause: float | None = None
) -> RotationReport:
    """Re-encrypt every value under a new current key, then retire the keys no value uses any more.

    ``new_key`` adds a fresh key to the key file first; with keys from the environment the operator has made a
    new last entry current there (and restarted the processes), and this only re-encrypts.
    """
    if new_key:
        keyring.add_to_file()
        # Other processes look at the key file once per REFRESH_SECONDS: after this, none writes with the old key.
        await asyncio.sleep(pause if pause is not None else 3 * REFRESH_SECONDS)
    current = keyring.current
    async with AsyncSession(engine) as session, session.begin():
        await record_current(session, keyring, now)
    total = 0
    for place in encrypted_columns():
        total += await _re_encrypt(engine, keyring, place, current)
    async with AsyncSession(engine) as session, session.begin():
        retired = []
        for key in await in_use(session):
            if key.key_id != current:
                key.retired_at = now
                retired.append(key.key_id)
    return RotationReport(current, total, retired)


async def _re_encrypt(engine: AsyncEngine, keyring: Keyring, place: EncryptedColumn, current: str) -> int:
    """Batches of values not under ``current`` yet, until a pass finds none; the stored ciphertext is read and
    compared as plain text (a value the bot changed in between is left to the next pass)."""
    raw = place.raw()
    key, stored = raw.c[place.key.name], raw.c[place.column.name]
    outdated = stored.is_not(None) & ~stored.startswith(f"{current}:", autoescape=True)
    done = 0
    while True:
        found = 0
        last: object = None
        while True:
            query = select(key, stored).where(outdated).order_by(key).limit(BATCH)
            async with engine.begin() as connection:
                rows = (await connection.execute(query if last is None else query.where(key > last))).all()
                for row_key, value in rows:
                    fresh = keyring.encrypt(keyring.decrypt(value, place.purpose), place.purpose)
                    written = await connection.execute(
                        update(raw).where(key == row_key, stored == value).values({place.column.name: fresh})
                    )
                    done += written.rowcount
            found += len(rows)
            if len(rows) < BATCH:
                break
            last = rows[-1][0]
        if not found:
            return done
