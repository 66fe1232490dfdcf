"""Names as comparable words: normalised forms, a Spanish/Andean phonetic key, and the
keys one typo away from it (what a search also looks up, so one typo per word is found
while only each word's own key is stored).

Pure functions on strings: nothing here is stored. What is stored are keyed tokens of
these forms (app/names/tokens.py).

The phonetic key folds the spellings Spanish speakers mix in Peru: b/v; s/z/c before e, i;
ll/y; a silent h; qu/k/c before a, o, u, q, cc (Quispe/Qispe/Kispe, Ccori/Qori/Cori);
hu/gu/w before a vowel (Huamán/Waman/Guamán, Huanca/Wanka); g/j before e, i; x/j
(Ximena/Jimena); double letters; and, because Quechua and Aymara have three vowels and no
voicing contrast, e/i and o/u and nd/nt, mb/mp, ng/nk (Condori/Kunturi).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Particles dropped as words (they are kept inside the joined forms: "De la Cruz" is
# also "delacruz"); "y" joins two family names ("Gómez y Pérez").
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "van", "von"})
# Shorter phonetic keys take no typo: one edit on three letters joins too many different
# names (Ana/Ama/Eva...).
MIN_TYPO_LENGTH = 4

_NOT_LETTER = re.compile(r"[^a-z]+")
_VOWELS = "aeiou"
# Ordered rewrites of the phonetic key; each applies to the result of the previous one.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"ch", "0"),  # keep CH apart from c and h (0 is turned into c at the end)
        (r"(cc|kk|qq|ck|cq)", "k"),
        (r"qu(?=[ei])", "k"),
        (r"q", "k"),
        (r"c(?=[ei])", "s"),
        (r"c", "k"),
        (r"z", "s"),
        (r"x", "j"),
        (r"gu(?=[ei])", "1"),  # the hard g of Guillermo, kept apart from ge/gi below
        (r"g(?=[ei])", "j"),
        (r"[hg]u(?=[aeiou])", "w"),
        (r"1", "g"),
        (r"ll", "y"),
        (r"y(?=[^aeiou]|$)", "i"),
        (r"v", "b"),
        (r"h", ""),
        (r"e", "i"),
        (r"o", "u"),
        (r"nd", "nt"),
        (r"mb", "mp"),
        (r"ng", "nk"),
        (r"n(?=[bp])", "m"),
        (r"0", "c"),
        (r"(.)\1+", r"\1"),
    )
)


def plain(text: str) -> str:
    """Lowercase, accents and ñ's tilde stripped, anything not a letter a space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_LETTER.sub(" ", letters.replace("ß", "ss")).strip()


def raw_words(text: str | None) -> list[str]:
    """The normalised words of a name field, particles included, in order."""
    return plain(text or "").split()


def words(text: str | None) -> list[str]:
    """The normalised words of a name field without particles (what is matched)."""
    return [w for w in raw_words(text) if w not in PARTICLES]


def joined_forms(text: str | None) -> list[str]:
    """Other ways the same compound name is written as one word: the whole field run
    together ("Vilca Huanca" -> "vilcahuanca") and each particle run with the word after
    it ("De la Cruz" -> "delacruz")."""
    raw = raw_words(text)
    forms: list[str] = []
    if len(raw) > 1:
        forms.append("".join(raw))
    run: list[str] = []
    for word in raw:
        if word in PARTICLES:
            run.append(word)
            continue
        if run:
            forms.append("".join([*run, word]))
        run = []
    return [f for f in dict.fromkeys(forms) if f not in raw]


@lru_cache(maxsize=65536)
def phonetic(word: str) -> str:
    """The phonetic key of one normalised word (see the module's docstring)."""
    key = word
    for pattern, repl in _RULES:
        key = pattern.sub(repl, key)
    return key or word


# The letters a phonetic key is made of (what a typo of a key may bring in).
KEY_LETTERS = "abcdfgijklmnprstuwy"


def one_edit_away(key: str) -> set[str]:
    """Every key one typo away from `key` (a letter left out, added, replaced, or two
    neighbours swapped), over the letters of phonetic keys; none for short keys."""
    if len(key) < MIN_TYPO_LENGTH:
        return set()
    out = {key[:i] + key[i + 1 :] for i in range(len(key))}
    out |= {key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(len(key) - 1)}
    for i in range(len(key) + 1):
        for ch in KEY_LETTERS:
            out.add(key[:i] + ch + key[i:])
            if i < len(key):
                out.add(key[:i] + ch + key[i + 1 :])
    out.discard(key)
    return {k for k in out if len(k) >= MIN_TYPO_LENGTH - 1}


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """Whether a and b differ by at most one insertion, deletion, substitution or
    transposition of neighbours (the typo a word may carry)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def vowel_count(word: str) -> int:
    return sum(ch in _VOWELS for ch in word)
