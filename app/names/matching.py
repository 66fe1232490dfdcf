"""How well two names match, word by word, once the candidates' names are opened.

The tokens only find candidates; the score is computed here from the names themselves
(decrypted in memory, never stored or returned), so a token collision or a shared
deletion form never ranks a wrong person high.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.names.normalise import (
    MIN_TYPO_LENGTH,
    edit_distance_at_most_one,
    joined_forms,
    phonetic,
    words,
)

# What a word match is worth: the same word, the same sound, one typo away.
EXACT_WEIGHT, PHONETIC_WEIGHT, TYPO_WEIGHT = 1.0, 0.9, 0.7


# Kept in memory like phonetic()'s keys (never stored): a search scores its few words
# against the same common names over and over.
@lru_cache(maxsize=1 << 16)
def word_level(a: str, b: str) -> float:
    """The best match between two normalised words (0 when none)."""
    if a == b:
        return EXACT_WEIGHT
    ka, kb = phonetic(a), phonetic(b)
    if ka == kb:
        return PHONETIC_WEIGHT
    if min(len(ka), len(kb)) >= MIN_TYPO_LENGTH and edit_distance_at_most_one(ka, kb):
        return TYPO_WEIGHT
    # A slip of the keyboard can move the sound more than one letter ("Bellpdo" for
    # Bellido): one edit on the written word counts too, unless both words are short.
    long_enough = max(len(a), len(b)) >= MIN_TYPO_LENGTH and min(len(a), len(b)) >= 3
    if long_enough and edit_distance_at_most_one(a, b):
        return TYPO_WEIGHT
    return 0.0


@dataclass(frozen=True)
class StoredName:
    """A victim's name as words: given and family (particles dropped) and joined forms."""

    given: list[str]
    family: list[str]
    joined: list[str]

    @classmethod
    def of(cls, given_names: str | None, family_names: str | None) -> StoredName:
        return cls(
            words(given_names),
            words(family_names),
            [*joined_forms(given_names), *joined_forms(family_names)],
        )

    @property
    def all(self) -> list[str]:
        return [*self.given, *self.family]


@dataclass(frozen=True)
class WordMatch:
    levels: list[float]  # per query word, in order
    stored_used: int  # stored words matched by some query word

    @property
    def matched(self) -> int:
        return sum(1 for level in self.levels if level > 0)


def match_words(query: list[str], stored: StoredName) -> WordMatch:
    """Each query word's best match among the stored words (each stored word used once,
    best pairs first), or a joined form; two query words run together may match one
    stored word ("vilca huanca" / "Vilcahuanca")."""
    names = stored.all
    pairs = sorted(
        ((word_level(q, s), qi, si) for qi, q in enumerate(query) for si, s in enumerate(names)),
        reverse=True,
    )
    levels = [0.0] * len(query)
    used: set[int] = set()
    for level, qi, si in pairs:
        if level <= 0 or levels[qi] > 0 or si in used:
            continue
        levels[qi] = level
        used.add(si)
    for qi, q in enumerate(query):
        if levels[qi] == 0:
            levels[qi] = max((word_level(q, j) for j in stored.joined), default=0.0)
    for qi in range(len(query) - 1):
        if levels[qi] == 0 or levels[qi + 1] == 0:
            both = query[qi] + query[qi + 1]
            for si, s in enumerate(names):
                level = word_level(both, s)
                if level > 0 and si not in used:
                    levels[qi] = max(levels[qi], level)
                    levels[qi + 1] = max(levels[qi + 1], level)
                    used.add(si)
    return WordMatch(levels, len(used))


def search_name_score(query: list[str], stored: StoredName) -> float | None:
    """Score of a search: every query word must match (one may be missing from three
    on); the name that holds nothing more than what was asked ranks first."""
    m = match_words(query, stored)
    n = len(query)
    need = n if n <= 2 else n - 1
    if m.matched < need:
        return None
    cover_query = sum(m.levels) / n
    cover_stored = m.stored_used / max(1, len(stored.all))
    return round(0.8 * cover_query + 0.2 * cover_stored, 4)


def duplicate_name_score(
    given: list[str], family: list[str], stored: StoredName
) -> tuple[float, float]:
    """Name likeness of two records of the same person: (coverage of the shorter name,
    coverage of the longer), each 0..1, (0, 0) when not alike.

    Words may come in any order or field, one typo or spelling variant per word; a given
    name of the new record must match: the same family name with another given name is
    someone else (a sister, a cousin)."""
    query = [*given, *family]
    if not query or not stored.all:
        return 0.0, 0.0
    m = match_words(query, stored)
    if not any(level > 0 for level in m.levels[: len(given)]) and given:
        return 0.0, 0.0
    if not any(level > 0 for level in m.levels[len(given) :]) and family and stored.family:
        return 0.0, 0.0
    total = sum(m.levels)
    shorter, longer = sorted((len(query), len(stored.all)))
    return round(min(1.0, total / shorter), 4), round(min(1.0, total / longer), 4)
