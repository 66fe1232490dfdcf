"""Field encryption (AES-256-GCM), blind indexes and record digests (HMAC-SHA256).

Stored form: ``k2.<key id>.<base64(nonce | ciphertext+tag)>``, sealed with the value's
place as associated data: ``k2|<table>|<column>|<row id>``. A ciphertext copied into
another row or column (SQL needs no key for that) then fails to authenticate there, as
does one carried over from an old backup into the same place under a legacy ``k1`` form
(sealed before the binding existed: readable only by the migration that re-seals it).
The key id lets old values stay readable while `calp rotate-data-key` re-encrypts them.

Blind indexes allow exact lookup of a document number without storing it; record digests
authenticate a record's coded fields in the audit log. Their keys are derived from the
data key (HKDF), so rotation recomputes them too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
import uuid
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "k2"
LEGACY_PREFIX = "k1"


class DecryptionError(RuntimeError):
    """A stored value cannot be decrypted with any configured key under its binding."""


@dataclass(frozen=True)
class Binding:
    """Where a sealed value lives: the associated data it is sealed and opened under."""

    table: str
    column: str
    row: str

    def aad(self) -> bytes:
        return f"{PREFIX}|{self.table}|{self.column}|{self.row}".encode()


def bind(table: str, column: str, row: uuid.UUID | str | int) -> Binding:
    """The binding of `table.column` in the row whose primary key is `row` (read through a
    typed column, so a UUID is in its canonical form on every database)."""
    return Binding(table, column, str(row))


def decode_key(text: str) -> bytes:
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(raw) != 32:
        raise ValueError("a data key must be 32 bytes, urlsafe base64 encoded")
    return raw


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"calp-key-id" + key).hexdigest()[:8]


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key)


def normalise_document(value: str) -> str:
    """Document numbers match regardless of case, spaces, dots and dashes."""
    text = unicodedata.normalize("NFKC", value).upper()
    return "".join(ch for ch in text if ch.isalnum())


def _refused() -> DecryptionError:
    return DecryptionError("stored value cannot be decrypted with the configured keys")


@dataclass
class Keyring:
    active: bytes
    old: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        keys = [self.active, *self.old]
        self._aead = {key_id(k): AESGCM(_derive(k, b"calp-field-encryption")) for k in keys}
        self._index_keys = [_derive(k, b"calp-blind-index") for k in keys]
        self._digest_keys = {key_id(k): _derive(k, b"calp-record-digest") for k in keys}
        self.active_id = key_id(self.active)

    def seal(self, plaintext: str, binding: Binding) -> str:
        return self._seal(PREFIX, plaintext, binding.aad())

    def open(self, stored: str, binding: Binding) -> str:
        """The plaintext, if `stored` was sealed for exactly this place; else DecryptionError.

        A legacy unbound value is refused too: accepting it would let an old backup's
        ciphertexts be replayed anywhere."""
        return self._open(PREFIX, stored, binding.aad())

    def seal_unbound(self, plaintext: str) -> str:
        """A legacy ``k1`` value (for the downgrade of the migration only)."""
        return self._seal(LEGACY_PREFIX, plaintext, LEGACY_PREFIX.encode())

    def open_unbound(self, stored: str) -> str:
        """Open a legacy ``k1`` value (for the migration that re-seals it only)."""
        return self._open(LEGACY_PREFIX, stored, LEGACY_PREFIX.encode())

    def _seal(self, prefix: str, plaintext: str, aad: bytes) -> str:
        nonce = os.urandom(12)
        sealed = self._aead[self.active_id].encrypt(nonce, plaintext.encode(), aad)
        return f"{prefix}.{self.active_id}.{base64.b64encode(nonce + sealed).decode()}"

    def _open(self, prefix: str, stored: str, aad: bytes) -> str:
        try:
            kind, kid, body = stored.split(".", 2)
            if kind != prefix:
                raise _refused()
            raw = base64.b64decode(body)
            return self._aead[kid].decrypt(raw[:12], raw[12:], aad).decode()
        except (ValueError, KeyError, InvalidTag) as exc:
            raise _refused() from exc

    def is_current(self, stored: str) -> bool:
        """Sealed (bound) under the active key: nothing for a rotation to do."""
        return stored.startswith(f"{PREFIX}.{self.active_id}.")

    def blind_index(self, document: str) -> str:
        """Index under the active key: what is stored."""
        return self._index(self._index_keys[0], document)

    def blind_index_candidates(self, document: str) -> list[str]:
        """Indexes under every key: a search still finds rows not yet rotated."""
        return [self._index(k, document) for k in self._index_keys]

    @staticmethod
    def _index(key: bytes, document: str) -> str:
        return hmac.new(key, normalise_document(document).encode(), hashlib.sha256).hexdigest()

    def record_digest(self, canonical: bytes) -> str:
        """``<key id>:<HMAC>`` of a record's canonical coded fields, under the active key."""
        mac = hmac.new(self._digest_keys[self.active_id], canonical, hashlib.sha256)
        return f"{self.active_id}:{mac.hexdigest()}"

    def check_record_digest(self, stored: str, canonical: bytes) -> bool | None:
        """Whether `stored` authenticates `canonical`; None when its key is not configured."""
        kid, _, mac = stored.partition(":")
        key = self._digest_keys.get(kid)
        if key is None:
            return None
        expected = hmac.new(key, canonical, hashlib.sha256).hexdigest()
        return hmac.compare_digest(mac, expected)

    def digest_is_current(self, stored: str) -> bool:
        return stored.startswith(f"{self.active_id}:")


_keyring: Keyring | None = None


def configure_keyring(active: str, old: list[str] | None = None) -> Keyring:
    """Install the process-wide keyring (called by create_app and the CLI)."""
    global _keyring
    _keyring = Keyring(decode_key(active), [decode_key(k) for k in old or []])
    return _keyring


def get_keyring() -> Keyring:
    if _keyring is None:
        raise RuntimeError("the data keyring is not configured")
    return _keyring


def keyring_for_migrations() -> Keyring | None:
    """The configured keyring (`calp migrate`, the tests), else one built from
    CALP_DATA_KEY and CALP_OLD_DATA_KEYS (a bare `alembic upgrade`); None without keys."""
    if _keyring is not None:
        return _keyring
    active = os.environ.get("CALP_DATA_KEY", "").strip()
    if not active:
        return None
    old = [k.strip() for k in os.environ.get("CALP_OLD_DATA_KEYS", "").split(",") if k.strip()]
    return Keyring(decode_key(active), [decode_key(k) for k in old])
