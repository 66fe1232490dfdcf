"""Synthetic people for the name-search bench: a population, and labelled pairs.

Two generators, independent of each other (own seed, own name lists, own ways of
misspelling), so the duplicate check is not tuned to the set it is measured on:

- `GeneratorA` (seed 16): names from list A; true pairs split in thirds: one typo in one
  word (an edit: insert, delete, replace, swap of neighbours, at any position); swapped or
  partial order (given names reversed, family names reversed, given and family fields
  swapped, the second given name or the second family name left out); accent/spelling
  variants (accents dropped or added, b/v, s/z, c/s, ll/y, h dropped, the Quechua/Aymara
  spellings, upper case). Look-alikes, as many as true pairs, half each: the same family
  names and sex with another given name; the same names and sex with a birth year 6-15
  years apart.
- `GeneratorB` (seed 2026): names from list B (disjoint from A's in half its entries),
  typos as keyboard-neighbour slips and doubled or dropped letters, partial names as
  initials dropped or one family name only, variants from a separate table; look-alikes
  as siblings (same family names, other given name, age within 0-12 years) and
  parent/child (same names, 18-35 years apart).

A second record of the same person comes 0-8 years after the first, age moved by the
years passed, birth date kept on half of the records (and missing on the rest).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

GIVEN_F_A = [
    "María",
    "Rosa",
    "Juana",
    "Carmen",
    "Ana",
    "Luz",
    "Elena",
    "Julia",
    "Flor",
    "Gloria",
    "Marisol",
    "Yolanda",
    "Sonia",
    "Ruth",
    "Lucía",
    "Isabel",
    "Patricia",
    "Verónica",
    "Milagros",
    "Rocío",
    "Silvia",
    "Norma",
    "Nancy",
    "Betty",
    "Edith",
    "Maribel",
    "Roxana",
    "Susana",
    "Teresa",
    "Nelly",
    "Ximena",
    "Cecilia",
    "Zoila",
    "Mercedes",
    "Hilda",
    "Haydée",
    "Inés",
    "Celia",
    "Yesenia",
    "Fiorella",
    "Karina",
    "Liliana",
    "Lourdes",
    "Delia",
    "Eva",
    "Olga",
    "Raquel",
    "Beatriz",
    "Vilma",
    "Nélida",
]
GIVEN_M_A = [
    "José",
    "Juan",
    "Luis",
    "Carlos",
    "Jorge",
    "Víctor",
    "César",
    "Pedro",
    "Miguel",
    "Manuel",
    "Jesús",
    "Julio",
    "Raúl",
    "Mario",
    "Alberto",
    "Walter",
    "Wilber",
    "Edwin",
    "Elmer",
    "Hugo",
    "Javier",
    "Óscar",
    "Percy",
    "Rubén",
    "Segundo",
    "Teodoro",
    "Valentín",
    "Eusebio",
    "Hernán",
    "Guillermo",
    "Zacarías",
    "Gonzalo",
    "Héctor",
    "Félix",
    "Ángel",
    "Andrés",
]
FAMILY_A = [
    "Quispe",
    "Mamani",
    "Huamán",
    "Flores",
    "Condori",
    "Chávez",
    "Ccori",
    "Huanca",
    "Vásquez",
    "Rojas",
    "Sánchez",
    "García",
    "Ramos",
    "Mendoza",
    "Torres",
    "Cruz",
    "Castillo",
    "Gutiérrez",
    "Pérez",
    "Rodríguez",
    "López",
    "Díaz",
    "Vargas",
    "Ccama",
    "Apaza",
    "Yupanqui",
    "Choque",
    "Cusi",
    "Pari",
    "Ticona",
    "Layme",
    "Chambi",
    "Huaraca",
    "Quispe",
    "Mamani",
    "Huillca",
    "Vilca",
    "Ccoa",
    "Ccahuana",
    "Yucra",
    "Puma",
    "Cóndor",
    "Tupa",
    "Ayala",
    "Salazar",
    "Zevallos",
    "Bravo",
    "Villanueva",
    "Yllescas",
    "Llerena",
    "Huarcaya",
    "Soncco",
    "Limachi",
    "Ñahui",
    "Muñoz",
    "Guevara",
    "Herrera",
    "Hinostroza",
    "Arce",
    "Bellido",
    "Benavides",
    "Cáceres",
    "Cárdenas",
    "Ccopa",
    "Alanoca",
    "Machaca",
    "Calsin",
    "Nina",
    "Sucasaire",
    "Velásquez",
    "Zapata",
    "Valverde",
    "Paucar",
    "Mayta",
    "Cutipa",
    "Gamarra",
    "Ochoa",
    "Palomino",
    "Inca",
    "Auccapuma",
]
# List B: half its entries are not in list A.
GIVEN_F_B = [
    "María",
    "Rosa",
    "Carmen",
    "Ana",
    "Luz",
    "Elena",
    "Gladys",
    "Marleny",
    "Jhovana",
    "Dina",
    "Sabina",
    "Felícita",
    "Justina",
    "Rufina",
    "Eulalia",
    "Clorinda",
    "Graciela",
    "Marina",
    "Paulina",
    "Victoria",
    "Brígida",
    "Emperatriz",
    "Wendy",
    "Yaneth",
    "Sheyla",
    "Mónica",
    "Rebeca",
    "Angélica",
    "Soledad",
    "Hermelinda",
    "Virginia",
    "Zenaida",
]
GIVEN_M_B = [
    "José",
    "Juan",
    "Luis",
    "Carlos",
    "Jorge",
    "Wilfredo",
    "Fortunato",
    "Saturnino",
    "Eleuterio",
    "Abel",
    "Aurelio",
    "Celestino",
    "Basilio",
    "Cirilo",
    "Gregorio",
    "Hipólito",
    "Leoncio",
    "Nazario",
    "Virgilio",
    "Yuri",
    "Zenón",
]
FAMILY_B = [
    "Quispe",
    "Mamani",
    "Huamán",
    "Flores",
    "Condori",
    "Ccori",
    "Huanca",
    "Pari",
    "Choque",
    "Apaza",
    "Huarachi",
    "Ccallo",
    "Ancco",
    "Huaman",
    "Taipe",
    "Allcca",
    "Ccasa",
    "Sullca",
    "Chuquimia",
    "Calle",
    "Coaquira",
    "Huisa",
    "Ventura",
    "Villca",
    "Pacco",
    "Rimachi",
    "Hualla",
    "Cahuana",
    "Zúñiga",
    "Bendezú",
    "Ugarte",
    "Yauri",
    "Churata",
]

# Spellings of the same name that people actually write (both directions).
VARIANTS_A = {
    "quispe": ["Qispe", "Kispe"],
    "huaman": ["Waman", "Guamán"],
    "ccori": ["Qori", "Cori"],
    "condori": ["Kunturi", "Condory"],
    "huanca": ["Wanka", "Guanca"],
    "mamani": ["Mamany"],
    "yupanqui": ["Yupanki", "Llupanqui"],
    "vasquez": ["Basques", "Vazquez"],
    "chavez": ["Chaves"],
    "ccama": ["Qama", "Cama"],
    "huillca": ["Willca", "Huilca"],
    "zevallos": ["Cevallos", "Sevallos"],
    "yllescas": ["Illescas"],
    "llerena": ["Yerena"],
    "hinostroza": ["Inostroza"],
    "herrera": ["Errera"],
    "haydee": ["Aydee"],
    "ximena": ["Jimena"],
    "yesenia": ["Llesenia"],
    "zoila": ["Soila"],
    "cecilia": ["Sesilia"],
    "wilber": ["Wilver", "Huilber"],
    "hernan": ["Ernan"],
    "victor": ["Bictor"],
}
VARIANTS_B = {
    "quispe": ["Kispe"],
    "huaman": ["Guaman"],
    "ccori": ["Qori"],
    "condori": ["Kunturi"],
    "huanca": ["Wanka"],
    "huarachi": ["Warachi"],
    "ccallo": ["Callo", "Qallo"],
    "ancco": ["Anco", "Anqo"],
    "allcca": ["Allca", "Alqa"],
    "ccasa": ["Qasa"],
    "sullca": ["Sulca"],
    "cahuana": ["Cawana", "Ccahuana"],
    "villca": ["Vilca", "Bilca"],
    "zuniga": ["Suniga"],
    "felicita": ["Felisita"],
    "wilfredo": ["Wilfrido", "Guilfredo"],
    "virgilio": ["Birgilio"],
    "yauri": ["Llauri"],
}
KEYBOARD = {
    "a": "sq",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "u": "yi",
    "n": "bm",
    "m": "n",
    "r": "et",
    "s": "ad",
    "l": "k",
    "c": "xv",
    "t": "ry",
    "p": "o",
}


def strip_accents(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


@dataclass
class Person:
    given: str
    family: str
    sex: str
    birth: date
    intake_on: date
    birth_known: bool

    @property
    def age(self) -> int:
        b, d = self.birth, self.intake_on
        return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


@dataclass
class Pair:
    first: Person
    second: Person
    same: bool
    mix: str  # typo | order | variant | other_given | age_gap (B: sibling | parent)


def _weighted(rng: random.Random, items: list[str], s: float) -> str:
    # The same draw as rng.choices(items, weights) (which accumulates them the same way),
    # without recomputing the weights for each of a million people.
    return rng.choices(items, cum_weights=_cum_weights(len(items), s))[0]


@lru_cache(maxsize=64)
def _cum_weights(n: int, s: float) -> list[float]:
    return list(accumulate(1 / (k + 1) ** s for k in range(n)))


class GeneratorA:
    seed = 16
    given_f, given_m, family, variants = GIVEN_F_A, GIVEN_M_A, FAMILY_A, VARIANTS_A

    def __init__(self, seed: int | None = None) -> None:
        self.rng = random.Random(self.seed if seed is None else seed)
        self.family_list = list(dict.fromkeys(self.family))

    def person(self, sex: str | None = None) -> Person:
        rng = self.rng
        sex = sex or rng.choices(["female", "male"], [0.8, 0.2])[0]
        pool = list(self.given_f if sex == "female" else self.given_m)
        given = [_weighted(rng, pool, 0.6)]
        if rng.random() < 0.5:
            given.append(rng.choice([g for g in pool if g != given[0]]))
        family = [_weighted(rng, self.family_list, 0.5)]
        if rng.random() < 0.9:
            family.append(_weighted(rng, self.family_list, 0.5))
        intake = date(2010, 1, 1) + timedelta(days=rng.randrange(16 * 365))
        age = rng.choice([rng.randrange(8, 18), rng.randrange(18, 45)])
        birth = intake - timedelta(days=age * 365 + rng.randrange(365))
        return Person(" ".join(given), " ".join(family), sex, birth, intake, rng.random() < 0.5)

    def later(self, p: Person, given: str, family: str) -> Person:
        rng = self.rng
        intake = p.intake_on + timedelta(days=rng.randrange(30, 8 * 365))
        return Person(given, family, p.sex, p.birth, intake, rng.random() < 0.5)

    # -- true pairs
    def typo(self, text: str) -> str:
        words = text.split()
        i = self.rng.choice([k for k, w in enumerate(words) if len(w) >= 4] or [0])
        w = list(words[i])
        pos = self.rng.randrange(len(w))
        op = self.rng.choice(["insert", "delete", "replace", "swap"])
        letter = self.rng.choice("abcdefghilmnoprstuy")
        if op == "insert":
            w.insert(pos, letter)
        elif op == "delete" and len(w) > 1:
            del w[pos]
        elif op == "swap" and pos < len(w) - 1:
            w[pos], w[pos + 1] = w[pos + 1], w[pos]
        else:
            w[pos] = letter if w[pos].lower() != letter else "x"
        words[i] = "".join(w)
        return " ".join(words)

    def reorder(self, p: Person) -> tuple[str, str]:
        g, f = p.given.split(), p.family.split()
        options = ["swap_fields"]
        if len(g) > 1:
            options += ["reverse_given", "drop_given"]
        if len(f) > 1:
            options += ["reverse_family", "drop_family"]
        op = self.rng.choice(options)
        if op == "swap_fields":
            return p.family, p.given
        if op == "reverse_given":
            return " ".join(reversed(g)), p.family
        if op == "drop_given":
            return g[0], p.family
        if op == "reverse_family":
            return p.given, " ".join(reversed(f))
        return p.given, f[0]

    def variant(self, text: str) -> str:
        rng = self.rng
        words = text.split()
        keyed = [k for k, w in enumerate(words) if strip_accents(w).lower() in self.variants]
        if keyed and rng.random() < 0.6:
            i = rng.choice(keyed)
            words[i] = rng.choice(self.variants[strip_accents(words[i]).lower()])
            return " ".join(words)
        op = rng.choice(["accents", "upper", "bv", "sz", "lly", "h"])
        if op == "accents":
            return strip_accents(text) if strip_accents(text) != text else text.replace("a", "á", 1)
        if op == "upper":
            return strip_accents(text).upper()
        swaps = {"bv": ("v", "b"), "sz": ("z", "s"), "lly": ("ll", "y"), "h": ("h", "")}
        old, new = swaps[op]
        if old in text.lower():
            return text.replace(old, new).replace(old.title(), new.title())
        return strip_accents(text).lower()

    def true_pair(self, mix: str) -> Pair:
        p = self.person()
        if mix == "typo":
            given, family = p.given, p.family
            if self.rng.random() < 0.5:
                given = self.typo(given)
            else:
                family = self.typo(family)
        elif mix == "order":
            given, family = self.reorder(p)
        else:
            given, family = self.variant(p.given), self.variant(p.family)
        return Pair(p, self.later(p, given, family), True, mix)

    # -- look-alikes
    def other_given(self, p: Person) -> str:
        pool = self.given_f if p.sex == "female" else self.given_m
        mine = set(p.given.split())
        return self.rng.choice([g for g in pool if g not in mine])

    def look_alike(self, mix: str) -> Pair:
        p = self.person()
        if mix == "other_given":
            q = self.later(p, self.other_given(p), p.family)
            q.birth = p.birth + timedelta(days=self.rng.randrange(-3 * 365, 3 * 365))
        else:
            q = self.later(p, p.given, p.family)
            gap = self.rng.randrange(6, 16) * self.rng.choice([-1, 1])
            q.birth = p.birth + timedelta(days=gap * 365)
            if q.age < 0 or q.age > 100:
                q.birth = p.birth - timedelta(days=abs(gap) * 365)
        return Pair(p, q, False, mix)

    def pairs(self, n: int) -> list[Pair]:
        """`n` true pairs (a third per mix) and `n` look-alikes (half per mix), shuffled."""
        true = [self.true_pair(("typo", "order", "variant")[i % 3]) for i in range(n)]
        fake = [self.look_alike(self.look_alike_mix(i)) for i in range(n)]
        out = true + fake
        self.rng.shuffle(out)
        return out

    def look_alike_mix(self, i: int) -> str:
        return ("other_given", "age_gap")[i % 2]


class GeneratorB(GeneratorA):
    seed = 2026
    given_f, given_m, family, variants = GIVEN_F_B, GIVEN_M_B, FAMILY_B, VARIANTS_B

    def typo(self, text: str) -> str:
        words = text.split()
        i = self.rng.randrange(len(words))
        w = words[i]
        if len(w) < 4:
            return text
        pos = self.rng.randrange(1, len(w))
        ch = w[pos].lower()
        op = self.rng.random()
        if ch in KEYBOARD and op < 0.5:
            w = w[:pos] + self.rng.choice(KEYBOARD[ch]) + w[pos + 1 :]
        elif op < 0.75:
            w = w[:pos] + w[pos] + w[pos:]  # a doubled letter
        else:
            w = w[:pos] + w[pos + 1 :]  # a dropped letter
        words[i] = w
        return " ".join(words)

    def reorder(self, p: Person) -> tuple[str, str]:
        g, f = p.given.split(), p.family.split()
        if len(f) > 1 and self.rng.random() < 0.5:
            return p.given, f[self.rng.randrange(2)]  # one family name only
        if len(g) > 1:
            return g[-1], p.family
        return f"{p.family}", p.given  # fields swapped

    def look_alike(self, mix: str) -> Pair:
        p = self.person()
        if mix == "sibling":
            q = self.later(p, self.other_given(p), p.family)
            q.birth = p.birth + timedelta(days=self.rng.randrange(-12 * 365, 12 * 365))
        else:
            q = self.later(p, p.given, p.family)
            q.birth = p.birth - timedelta(days=self.rng.randrange(18, 35) * 365)
        return Pair(p, q, False, mix)

    def look_alike_mix(self, i: int) -> str:
        return ("sibling", "parent")[i % 2]
