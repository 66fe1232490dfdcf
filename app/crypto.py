"""Field encryption (AES-256-GCM) and blind indexes (HMAC-SHA256) for identifying data.

Stored form: ``k1.<key id>.<base64(nonce | ciphertext+tag)>``. The key id lets old
values stay readable while `calp rotate-data-key` re-encrypts them under the new key.
Blind indexes allow exact lookup of a document number without storing it; their key is
derived from the data key (HKDF), so rotation recomputes them too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "k1"


class DecryptionError(RuntimeError):
    """A stored value cannot be decrypted with any configured key."""


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


@dataclass
class Keyring:
    active: bytes
    old: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._aead = {
            key_id(k): AESGCM(_derive(k, b"calp-field-encryption"))
            for k in [self.active, *self.old]
        }
        self._index_keys = [_derive(k, b"calp-blind-index") for k in [self.active, *self.old]]
        self.active_id = key_id(self.active)

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead[self.active_id].encrypt(nonce, plaintext.encode(), PREFIX.encode())
        return f"{PREFIX}.{self.active_id}.{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str) -> str:
        try:
            prefix, kid, body = stored.split(".", 2)
            aead = self._aead[kid]
            raw = base64.b64decode(body)
            return aead.decrypt(raw[:12], raw[12:], prefix.encode()).decode()
        except (ValueError, KeyError, InvalidTag) as exc:
            raise DecryptionError(
                "stored value cannot be decrypted with the configured keys"
            ) from exc

    def is_current(self, stored: str) -> bool:
        return stored.split(".", 2)[1] == self.active_id

    def blind_index(self, document: str) -> str:
        """Index under the active key: what is stored."""
        return self._index(self._index_keys[0], document)

    def blind_index_candidates(self, document: str) -> list[str]:
        """Indexes under every key: a search still finds rows not yet rotated."""
        return [self._index(k, document) for k in self._index_keys]

    @staticmethod
    def _index(key: bytes, document: str) -> str:
        return hmac.new(key, normalise_document(document).encode(), hashlib.sha256).hexdigest()


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
