"""ISO 3166-1 countries with Spanish names (pycountry's own translations)."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry


@lru_cache
def _spanish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)


@lru_cache
def country_names() -> dict[str, str]:
    tr = _spanish()
    return {c.alpha_2: tr.gettext(c.name) for c in pycountry.countries}


def is_country(code: str) -> bool:
    return code in country_names()


def country_name(code: str) -> str:
    return country_names().get(code, code)


def country_catalog() -> list[dict[str, str]]:
    names = country_names()
    return [{"code": code, "label": names[code]} for code in sorted(names, key=lambda c: names[c])]
