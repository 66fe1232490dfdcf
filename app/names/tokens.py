"""Keyed one-way tokens of name words: what the database stores to find a person.

A token is the first 8 bytes (a signed 64-bit integer) of HMAC-SHA256 over a word's
phonetic key (``p|kispi`` for Quispe, Qispe, Kispe), under a key derived with HKDF from
the data key with the label ``calp-name-tokens``. Stored: one token per word of the name
(particles dropped) and one per compound written as one word ("delacruz"); and one PAIR
token per unordered pair of those keys (``pp|kispi|mari``, keys sorted). A search first
asks which of its keys and of the keys one typo away from them exist (word tokens, an
index probe each), then looks up the pair tokens of those that do: "María Quispe" reads
victims holding both words (a few thousand at national scale; a search stops at its
candidates), not the hundreds of thousands holding either (app/names/candidates.py).
Without the data key a token cannot be computed from a guessed name: a copy of the
database gives no dictionary attack. Tokens rotate with the key.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.crypto import Keyring, get_keyring
from app.names.normalise import joined_forms, one_edit_away, phonetic, words

PURPOSE = b"calp-name-tokens"
# Kinds: stored WORD (a word of the name) or JOINED (a compound run together); a query
# token is the word's own key (SOUND) or a key one typo away (TYPO).
WORD, JOINED, PAIR = 1, 3, 4
SOUND, TYPO = 1, 2
# A name with more keys than this pairs only its first ones (a pair per two keys: 8 keys
# are 28 rows; real names have 2-6).
MAX_PAIR_KEYS = 8


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


def name_keys(given_names: str | None, family_names: str | None) -> dict[str, int]:
    """The phonetic keys of a victim's name -> WORD or JOINED, words first."""
    out: dict[str, int] = {}
    for field in (given_names, family_names):
        for word in words(field):
            out[phonetic(word)] = WORD
    for field in (given_names, family_names):
        for joined in joined_forms(field):
            out.setdefault(phonetic(joined), JOINED)
    return out


def pair_form(a: str, b: str) -> str:
    """The form of the pair token of two keys (order-free)."""
    first, second = sorted((a, b))
    return f"pp|{first}|{second}"


def name_forms(given_names: str | None, family_names: str | None) -> dict[str, int]:
    """Every form stored for a victim's name -> its kind: each key, each pair of keys."""
    keys = name_keys(given_names, family_names)
    out = {f"p|{key}": kind for key, kind in keys.items()}
    paired = list(keys)[:MAX_PAIR_KEYS]
    for i, a in enumerate(paired):
        for b in paired[i + 1 :]:
            out[pair_form(a, b)] = PAIR
    return out


def victim_tokens(
    given_names: str | None, family_names: str | None, keyring: Keyring | None = None
) -> dict[int, int]:
    """token -> kind under the active key: the rows to store for one victim."""
    key = token_keys(keyring)[0]
    return {token(key, text): kind for text, kind in name_forms(given_names, family_names).items()}


@dataclass(frozen=True)
class Unit:
    """What a query word (or two neighbouring words run together) may be stored as:
    `words` the query word indexes it stands for, `keys` each key -> SOUND or TYPO."""

    words: frozenset[int]
    keys: dict[str, int]


def query_units(query_words: list[str], *, typos: bool = True) -> list[Unit]:
    """Each word's key and the keys one typo away; then each two neighbouring words run
    together ("vilca huanca" as "vilcahuanca"), standing for both words."""
    units = []
    for i, word in enumerate(query_words):
        key = phonetic(word)
        near = one_edit_away(key) if typos else set()
        units.append(Unit(frozenset({i}), {key: SOUND, **{k: TYPO for k in near if k != key}}))
    for i in range(len(query_words) - 1):
        both = phonetic(query_words[i] + query_words[i + 1])
        units.append(Unit(frozenset({i, i + 1}), {both: SOUND}))
    return units


def word_probes(units: list[Unit], keyring: Keyring | None = None) -> dict[int, tuple[int, str]]:
    """token -> (secret index, key): the word tokens whose existence a search asks."""
    out: dict[int, tuple[int, str]] = {}
    for s, secret in enumerate(token_keys(keyring)):
        for unit in units:
            for key in unit.keys:
                out[_cached_token(secret, f"p|{key}")] = (s, key)
    return out


def word_token(key: str, secret: int = 0, keyring: Keyring | None = None) -> int:
    """The word token of a key under the keyring's `secret`-th token key."""
    return _cached_token(token_keys(keyring)[secret], f"p|{key}")


def pair_token(a: str, b: str, secret: int = 0, keyring: Keyring | None = None) -> int:
    """The pair token of two keys (the word token when they are one key)."""
    form = f"p|{a}" if a == b else pair_form(a, b)
    return _cached_token(token_keys(keyring)[secret], form)


# One row of what a search looks up: (token, query word index, level: 2 by sound, 1 typo).
Lookup = tuple[int, int, int]


def pair_lookups(
    units: list[Unit], existing: dict[int, set[str]], keyring: Keyring | None = None
) -> list[Lookup]:
    """The pair tokens of every two units over different words, for the keys that exist
    (`existing`: secret index -> keys found), a row per word the pair stands for; and the
    word token of a unit that stands for two words on its own ("vilcahuanca")."""
    best: dict[tuple[int, int], int] = {}
    for s, secret in enumerate(token_keys(keyring)):
        have = existing.get(s, set())
        present = [{k: lv for k, lv in u.keys.items() if k in have} for u in units]
        for i, a in enumerate(units):
            if len(a.words) > 1:
                for key, lv in present[i].items():
                    _keep(best, _cached_token(secret, f"p|{key}"), a.words, lv)
            for j in range(i + 1, len(units)):
                b = units[j]
                if a.words & b.words:
                    continue
                for ka, la in present[i].items():
                    for kb, lb in present[j].items():
                        if ka == kb and (la != SOUND or lb != SOUND):
                            continue  # a typo of one word that is the other: no pair
                        # Two words of one sound ("Quispe Qispe") are one stored key.
                        form = f"p|{ka}" if ka == kb else pair_form(ka, kb)
                        tok = _cached_token(secret, form)
                        _keep(best, tok, a.words, la)
                        _keep(best, tok, b.words, lb)
    return [(tok, word, 2 if lv == SOUND else 1) for (tok, word), lv in best.items()]


def _keep(best: dict[tuple[int, int], int], tok: int, words_: frozenset[int], lv: int) -> None:
    for w in words_:
        have = best.get((tok, w))
        best[(tok, w)] = lv if have is None else min(have, lv)


@lru_cache(maxsize=1 << 16)
def _cached_token(key: bytes, form: str) -> int:
    # Queries repeat the same names (and their typo keys): the HMACs are kept, in memory.
    return token(key, form)


def query_words_of(parts: Iterable[str | None]) -> list[str]:
    """The matchable words of a query, duplicates dropped, in order."""
    return list(dict.fromkeys(w for part in parts for w in words(part)))
