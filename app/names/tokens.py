"""Keyed one-way tokens of name words: what the database stores to find a person.

A token is the first 8 bytes (a signed 64-bit integer) of HMAC-SHA256 over a word's
normalised form (``e|maria``) or over its phonetic key and each one-deletion form of that
key (``p|maria``, ``p|mara``...), under a key derived with HKDF from the data key with the
label ``calp-name-tokens``. Without the data key a token cannot be computed from a guessed
name, so a copy of the database gives no dictionary attack; tokens rotate with the key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.crypto import Keyring, get_keyring
from app.names.normalise import deletions, joined_forms, phonetic, words

PURPOSE = b"calp-name-tokens"
# Token kinds as stored (the best kind wins when one token comes from several forms).
EXACT, PHONETIC, TYPO = 0, 1, 2


def derive_token_key(data_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(data_key)


_KEYS: dict[bytes, bytes] = {}


def token_keys(keyring: Keyring | None = None) -> list[bytes]:
    """The token keys of the keyring: the active key's first (what is written), then the
    old keys' (a search during a rotation still finds rows not yet re-tokenised)."""
    ring = keyring or get_keyring()
    out = []
    for key in (ring.active, *ring.old):
        if key not in _KEYS:
            _KEYS[key] = derive_token_key(key)
        out.append(_KEYS[key])
    return out


def token(key: bytes, form: str) -> int:
    digest = hmac.new(key, form.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass(frozen=True)
class Form:
    """One matchable form of a word: the text hashed and the kind of match it gives."""

    text: str
    kind: int


def word_forms(word: str, *, typos: bool = True) -> list[Form]:
    key = phonetic(word)
    forms = [Form(f"e|{word}", EXACT), Form(f"p|{key}", PHONETIC)]
    if typos:
        forms += [Form(f"p|{d}", TYPO) for d in sorted(deletions(key))]
    return forms


def name_forms(given_names: str | None, family_names: str | None) -> dict[str, int]:
    """Every form stored for a victim's name -> its best kind."""
    best: dict[str, int] = {}
    for field in (given_names, family_names):
        forms = [f for w in words(field) for f in word_forms(w)]
        # A compound name run together needs no typo forms: it is long and rare.
        forms += [f for j in joined_forms(field) for f in word_forms(j, typos=False)]
        for form in forms:
            if form.kind < best.get(form.text, 99):
                best[form.text] = form.kind
    return best


def victim_tokens(
    given_names: str | None, family_names: str | None, keyring: Keyring | None = None
) -> dict[int, int]:
    """token -> kind under the active key: the rows to store for one victim."""
    key = token_keys(keyring)[0]
    out: dict[int, int] = {}
    for text, kind in name_forms(given_names, family_names).items():
        tok = token(key, text)
        if kind < out.get(tok, 99):
            out[tok] = kind
    return out


def query_tokens(
    query_words: list[str], keyring: Keyring | None = None
) -> dict[int, tuple[set[int], int]]:
    """token -> (indexes of the query words it stands for, kind), under every key.

    Besides each word's own forms: a word with the particle before it run together
    ("de la cruz" also as "delacruz") and two neighbouring words run together
    ("vilca huanca" as "vilcahuanca"), standing for both words."""
    forms: list[tuple[Form, set[int]]] = []
    for i, word in enumerate(query_words):
        forms += [(f, {i}) for f in word_forms(word)]
    for i in range(len(query_words) - 1):
        both = query_words[i] + query_words[i + 1]
        forms += [(f, {i, i + 1}) for f in word_forms(both, typos=False)]
    out: dict[int, tuple[set[int], int]] = {}
    for key in token_keys(keyring):
        for form, idx in forms:
            tok = token(key, form.text)
            have = out.get(tok)
            if have is None:
                out[tok] = (set(idx), form.kind)
            else:
                have[0].update(idx)
                out[tok] = (have[0], min(have[1], form.kind))
    return out


def query_words_of(parts: Iterable[str | None]) -> list[str]:
    """The matchable words of a query, duplicates dropped, in order."""
    return list(dict.fromkeys(w for part in parts for w in words(part)))
