"""Jinja2 templates (templates/ at the repository root) with catalog and form helpers.

A shared layer: it imports no domain and no web module. The web layer adds what needs the
request's session (the CSRF field) when app.web.respond is imported."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from app.catalogs import LABELS, label
from app.countries import FREQUENT, country_catalog, country_name
from app.formats import spanish_number
from app.integrity import shown

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["label"] = lambda code, catalog: label(catalog, code)
templates.env.filters["label_pair"] = lambda code, catalog: (str(code), label(catalog, code))
templates.env.filters["country"] = lambda code: country_name(code) if code else ""

MAX_ROWS = 50  # the schemas' longest list (needs, goals, actions)
MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "set", "oct", "nov", "dic"]


def spanish_date(value: date | datetime | None) -> str:
    """`12 mar 2024`: unambiguous for readers used to day-month order."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def choices(catalog: str) -> list[tuple[str, str]]:
    """(code, Spanish label) pairs of a catalog, in its order."""
    return list(LABELS[catalog].items())


def country_choices() -> list[tuple[str, str]]:
    """Countries by Spanish name in Spanish order, the ones CALP sees most first."""
    rows = [(c["code"], c["label"]) for c in country_catalog()]
    rank = {code: i for i, code in enumerate(FREQUENT)}
    return sorted(rows, key=lambda r: rank.get(r[0], len(rank)))


def row_range(values: Mapping[str, object] | None, name: str, minimum: int) -> range:
    """The rows a repeated part of a form shows: at least `minimum`, and every row the
    person had (added with "Añadir otra") when the form comes back with their values."""
    highest = -1
    prefix = name + "."
    for key in values or {}:
        index = key[len(prefix) :].split(".")[0] if key.startswith(prefix) else ""
        if index.isdigit():
            highest = max(highest, int(index))
    return range(max(minimum, min(highest + 1, MAX_ROWS)))


@pass_context
def path_for(context: dict[str, object], name: str, /, **params: object) -> str:
    """A local path (no scheme or host) for a named route: right behind any proxy."""
    request = context["request"]
    return str(request.app.url_path_for(name, **params))  # type: ignore[attr-defined]


templates.env.filters["fecha"] = spanish_date
templates.env.filters["num"] = spanish_number
templates.env.globals.update(
    choices=choices,
    path_for=path_for,
    country_choices=country_choices,
    row_range=row_range,
    shown=shown,  # a sealed field, or «dato no verificable» when it fails to verify
)
