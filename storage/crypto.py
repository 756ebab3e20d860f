"""Encryption at rest of the store's identifying and free-text fields.

Every such value is stored as ``<key id>:<base64 of nonce + AES-256-GCM ciphertext>``. The key id travels with
the value, so several keys can be in use at once while ``vhbot keys rotate`` re-encrypts the store; the column's
name is the associated data, so a value copied into another column does not decrypt.

Keys never live in the database: they come from ``VHBOT_ENCRYPTION_KEYS`` or from a key file, one
``<key id>:<base64 key>`` entry per line (``#`` starts a comment); the last entry is the one new values are written
with. A key file is looked at again when it changes, so running processes pick up a rotated key without a restart.
The keyring is attached to the SQLAlchemy engine's dialect, where the column types find it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Dialect, Text
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

NONCE_BYTES = 12
KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# How often a process looks whether its key file has changed (a rotation waits longer than this).
REFRESH_SECONDS = 1.0
_KEYRING_ATTRIBUTE = "vhbot_keyring"


class StoreKeyError(Exception):
    """The store cannot be read or written with the configured keys; the message says what to do."""


def new_key_entry() -> str:
    """A fresh key as a key file line: a random id and 32 random bytes."""
    key_id = "k" + secrets.token_hex(4)
    return f"{key_id}:{base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()}"


def parse_keys(text: str, source: str) -> dict[str, bytes]:
    """The keys of a key file or environment value, in order (the last one is current)."""
    keys: dict[str, bytes] = {}
    for number, line in enumerate(text.replace(",", "\n").splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        key_id, _, encoded = entry.partition(":")
        try:
            key = base64.urlsafe_b64decode(encoded.strip())
        except (binascii.Error, ValueError):
            key = b""
        if not _KEY_ID.match(key_id.strip()) or len(key) != KEY_BYTES:
            raise StoreKeyError(f"{source}, entry {number}: expected '<key id>:<base64 of 32 bytes>'")
        keys.pop(key_id.strip(), None)
        keys[key_id.strip()] = key
    return keys


def _private_enough(status: os.stat_result) -> bool:
    """Nobody but its owner reads the key file; or it is root's, and the service's group may only read it (as the
    deployment guide keeps secrets in /etc/vhbot: root:vhbot, 0640)."""
    if status.st_mode & 0o007:
        return False
    group_bits = status.st_mode & 0o070
    return not group_bits or (status.st_uid == 0 and group_bits == 0o040)


@dataclass
class Keyring:
    """The keys this process knows; ``current`` encrypts, any of them decrypts.

    ``file`` is re-read when it changes; ``environment`` keys are fixed for the process's life. A keyring without
    keys can still be created (a new installation's first start makes its key file).
    """

    source: str
    file: Path | None = None
    keys: dict[str, bytes] = field(default_factory=dict, repr=False)
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, repr=False)
    _file_stamp: int | None = field(default=None, repr=False)
    _checked_at: float = field(default=0.0, repr=False)

    @classmethod
    def from_environment(cls, value: str) -> Keyring:
        return cls("VHBOT_ENCRYPTION_KEYS", keys=parse_keys(value, "VHBOT_ENCRYPTION_KEYS"))

    @classmethod
    def from_file(cls, path: Path) -> Keyring:
        keyring = cls(f"key file {path}", file=path)
        keyring.reload()
        return keyring

    @property
    def current(self) -> str:
        self._refresh()
        if not self.keys:
            raise StoreKeyError(f"no encryption key configured ({self.source} has none)")
        return next(reversed(self.keys))

    def reload(self) -> None:
        """Read the key file again if it changed (keys are only ever added to it during a rotation)."""
        self._checked_at = time.monotonic()
        if self.file is None:
            return
        try:
            status = self.file.stat()
        except (FileNotFoundError, NotADirectoryError):  # not there (yet): made at the first start
            return
        if not stat.S_ISREG(status.st_mode):
            raise StoreKeyError(f"{self.source} is not a file")
        if not _private_enough(status):  # the keys open every value in the store
            raise StoreKeyError(
                f"{self.source} can be read by others (mode {stat.S_IMODE(status.st_mode):o}): make it readable "
                f"by its owner only (chmod 600 {self.file}), or owned by root and readable by the service's "
                f"group only (chown root:GROUP {self.file}; chmod 640 {self.file})"
            )
        if status.st_mtime_ns != self._file_stamp:
            try:
                text = self.file.read_text(encoding="utf-8")
            except OSError as error:
                raise StoreKeyError(f"{self.source} cannot be read ({error.strerror})") from error
            self.keys = parse_keys(text, self.source)
            self._ciphers.clear()
            self._file_stamp = status.st_mtime_ns

    def create_file(self) -> str:
        """Write a new key file with one fresh key, readable by this user only; returns the key id."""
        if self.file is None:
            raise StoreKeyError(f"no encryption key configured ({self.source} has none)")
        entry = new_key_entry()
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:  # a key file in /etc/vhbot, which the service may read but not write
            raise StoreKeyError(
                f"{self.source} cannot be made ({error.strerror}): make it once as its owner "
                f"(vhbot keys new > {self.file}; chmod 600), or point VHBOT_KEY_FILE where the service may write"
            ) from None
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(
                f"# vhbot encryption keys: the last entry encrypts. Keep apart from the database.\n{entry}\n"
            )
        self.reload()
        return entry.split(":", 1)[0]

    def add_to_file(self) -> str:
        """Append a fresh key to the key file, making it the current key for every process that reads the file."""
        if self.file is None or not self.file.exists():
            raise StoreKeyError(
                f"{self.source} cannot take a new key: add one to it yourself (vhbot keys new)"
            )
        entry = new_key_entry()
        with self.file.open("a", encoding="utf-8") as handle:
            handle.write(f"{entry}\n")
        self.reload()
        return entry.split(":", 1)[0]

    def encrypt(self, plaintext: str, purpose: str) -> str:
        key_id = self.current
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = self._cipher(key_id).encrypt(nonce, plaintext.encode("utf-8"), purpose.encode())
        return f"{key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, stored: str, purpose: str) -> str:
        key_id, separator, encoded = stored.partition(":")
        if not separator:
            raise StoreKeyError(f"a value in {purpose} is not encrypted")
        if key_id not in self.keys:
            self.reload()
        if key_id not in self.keys:
            raise StoreKeyError(
                f"a value in {purpose} is encrypted with key {key_id}, which {self.source} lacks"
            )
        sealed = base64.b64decode(encoded)
        try:
            plaintext = self._cipher(key_id).decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], purpose.encode()
            )
        except InvalidTag:
            raise StoreKeyError(
                f"a value in {purpose} does not decrypt with key {key_id} from {self.source}: wrong key"
            ) from None
        return plaintext.decode("utf-8")

    def derived(self, key_id: str, purpose: str) -> bytes:
        """A key for another use than encryption (signing form links), derived from a store key with HKDF: the
        store key itself is used for one thing only, and rotating it retires what was derived from it."""
        if key_id not in self.keys:
            self.reload()
        if key_id not in self.keys:
            raise StoreKeyError(f"key {key_id} is not in {self.source}")
        return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()).derive(
            self.keys[key_id]
        )

    def _refresh(self) -> None:
        if self.file is not None and time.monotonic() - self._checked_at >= REFRESH_SECONDS:
            self.reload()

    def _cipher(self, key_id: str) -> AESGCM:
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            cipher = self._ciphers[key_id] = AESGCM(self.keys[key_id])
        return cipher


def attach(engine: Engine, keyring: Keyring) -> None:
    """Give the engine's column types the keyring (each engine has its own dialect object)."""
    setattr(engine.dialect, _KEYRING_ATTRIBUTE, keyring)


def keyring_of(dialect: Dialect) -> Keyring:
    keyring: Keyring | None = getattr(dialect, _KEYRING_ATTRIBUTE, None)
    if keyring is None:
        raise StoreKeyError("this database connection has no encryption keys")
    return keyring


class EncryptedText(TypeDecorator[str]):
    """Text stored encrypted; ``purpose`` (table.column) binds each value to its column."""

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring_of(dialect).encrypt(value, self.purpose)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring_of(dialect).decrypt(value, self.purpose)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document stored encrypted (dialogue state, kept answers, conversation references)."""

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return keyring_of(dialect).encrypt(json.dumps(value, ensure_ascii=False), self.purpose)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(keyring_of(dialect).decrypt(value, self.purpose))
