"""Keyed one-way tokens of name words: what the database stores to find a person.

A token is the first 8 bytes (a signed 64-bit integer) of HMAC-SHA256 over a word's
phonetic key (``p|kispi`` for Quispe, Qispe, Kispe), under a key derived with HKDF from
the data key with the label ``calp-name-tokens``. Stored: one token per word of the name
(particles dropped) and one per compound written as one word ("delacruz"). A search
computes the tokens of the query's keys and of every key one typo away from them (a few
hundred HMACs per word, well under a millisecond each batch), so typos are found without
storing anything more per victim. Without the data key a token cannot be computed from a
guessed name: a copy of the database gives no dictionary attack. Tokens rotate with the key.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.crypto import Keyring, get_keyring
from app.names.normalise import joined_forms, one_edit_away, phonetic, words

PURPOSE = b"calp-name-tokens"
# Kinds: stored WORD (a word of the name) or JOINED (a compound run together); a query
# token is the word's own key (SOUND) or a key one typo away (TYPO).
WORD, JOINED = 1, 3
SOUND, TYPO = 1, 2


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
    return int.from_bytes(hmac.digest(key, form.encode(), "sha256")[:8], "big", signed=True)


def name_forms(given_names: str | None, family_names: str | None) -> dict[str, int]:
    """Every form stored for a victim's name -> its kind."""
    out: dict[str, int] = {}
    for field in (given_names, family_names):
        for joined in joined_forms(field):
            out.setdefault(f"p|{phonetic(joined)}", JOINED)
        for word in words(field):
            out[f"p|{phonetic(word)}"] = WORD
    return out


def victim_tokens(
    given_names: str | None, family_names: str | None, keyring: Keyring | None = None
) -> dict[int, int]:
    """token -> kind under the active key: the rows to store for one victim."""
    key = token_keys(keyring)[0]
    return {token(key, text): kind for text, kind in name_forms(given_names, family_names).items()}


def query_tokens(
    query_words: list[str], keyring: Keyring | None = None, *, typos: bool = True
) -> dict[int, tuple[set[int], int]]:
    """token -> (indexes of the query words it stands for, SOUND or TYPO), every key.

    Besides each word's key and the keys one typo away: two neighbouring words run
    together ("vilca huanca" as "vilcahuanca"), standing for both words."""
    forms: dict[str, tuple[set[int], int]] = {}
    for i, word in enumerate(query_words):
        key = phonetic(word)
        near = one_edit_away(key) if typos else set()
        for text, kind in [(f"p|{key}", SOUND), *((f"p|{k}", TYPO) for k in near)]:
            have = forms.get(text)
            if have is None:
                forms[text] = ({i}, kind)
            else:
                have[0].add(i)
                forms[text] = (have[0], min(have[1], kind))
    for i in range(len(query_words) - 1):
        text = f"p|{phonetic(query_words[i] + query_words[i + 1])}"
        idx, _ = forms.get(text, (set(), SOUND))
        forms[text] = (idx | {i, i + 1}, SOUND)
    out: dict[int, tuple[set[int], int]] = {}
    for secret in token_keys(keyring):
        for text, (idx, kind) in forms.items():
            out[_cached_token(secret, text)] = (idx, kind)
    return out


@lru_cache(maxsize=1 << 16)
def _cached_token(key: bytes, form: str) -> int:
    # Queries repeat the same names (and their typo keys): the HMACs are kept, in memory.
    return token(key, form)


def query_words_of(parts: Iterable[str | None]) -> list[str]:
    """The matchable words of a query, duplicates dropped, in order."""
    return list(dict.fromkeys(w for part in parts for w in words(part)))
