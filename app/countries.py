"""ISO 3166-1 countries with the Spanish names people write, in Spanish order.

pycountry's Spanish translations leave some names in English ("Algeria"), misspell others
("Costa de Marfíl", "Burquina Faso", "Tunez") and give the long official form where every
form in Peru uses the short one ("Venezuela, República Bolivariana de"). `_SPANISH` corrects
those; the official forms stay readable in an import (`country_aliases`).
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import lru_cache

import pycountry

# Short Spanish names (as in the RAE's list of country names) where pycountry's differ.
_SPANISH = {
    "AX": "Islas Åland",
    "BF": "Burkina Faso",
    "BM": "Bermudas",
    "BN": "Brunéi",
    "BO": "Bolivia",
    "BQ": "Bonaire, San Eustaquio y Saba",
    "CD": "República Democrática del Congo",
    "CG": "Congo",
    "CI": "Costa de Marfil",
    "DZ": "Argelia",
    "FK": "Islas Malvinas",
    "FM": "Micronesia",
    "IR": "Irán",
    "KM": "Comoras",
    "KP": "Corea del Norte",
    "KR": "Corea del Sur",
    "LA": "Laos",
    "MD": "Moldavia",
    "MF": "San Martín (Francia)",
    "MM": "Myanmar (Birmania)",
    "MV": "Maldivas",
    "NE": "Níger",
    "PN": "Islas Pitcairn",
    "PS": "Palestina",
    "RU": "Rusia",
    "SR": "Surinam",
    "SX": "San Martín (Países Bajos)",
    "SY": "Siria",
    "TN": "Túnez",
    "TW": "Taiwán",
    "TZ": "Tanzania",
    "VA": "Ciudad del Vaticano",
    "VE": "Venezuela",
    "VG": "Islas Vírgenes Británicas",
    "VI": "Islas Vírgenes de los Estados Unidos",
}
# The countries of most people CALP attends, offered first in every form (Peru, then the
# nationalities its reports count most).
FREQUENT = ("PE", "VE", "CO", "EC", "BO")


@lru_cache
def _spanish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)


def collation_key(text: str) -> str:
    """Spanish alphabetical order: accents ignored, ñ after n (a simple, locale-free
    stand-in for the es collation, which the server's C locale may not have)."""
    text = text.casefold().replace("ñ", "n\uffff")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@lru_cache
def country_names() -> dict[str, str]:
    tr = _spanish()
    return {c.alpha_2: _SPANISH.get(c.alpha_2) or tr.gettext(c.name) for c in pycountry.countries}


@lru_cache
def country_aliases() -> dict[str, str]:
    """Other names a spreadsheet may use for a country (pycountry's Spanish and English
    forms) → code; the names of `country_names` are not repeated here."""
    tr = _spanish()
    out: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (tr.gettext(c.name), c.name, getattr(c, "common_name", None)):
            if name:
                out.setdefault(name, c.alpha_2)
    return out


def is_country(code: str) -> bool:
    return code in country_names()


def country_name(code: str) -> str:
    return country_names().get(code, code)


def country_catalog() -> list[dict[str, str]]:
    """Every country, by its Spanish name in Spanish order."""
    names = country_names()
    ordered = sorted(names, key=lambda c: collation_key(names[c]))
    return [{"code": code, "label": names[code]} for code in ordered]
