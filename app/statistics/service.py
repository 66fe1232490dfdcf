"""The published tables (Tablas 10-18) as JSON-ready dicts, computed by the database.

Public functions take a session and keyword filters (`first`, `last` inclusive years, `team`)
and return the shape api.md specifies. Results are cached on the data version: as dicts
(`get_*`, for the other formats and the web pages) and as encoded JSON (`get_json`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from app.catalogs import PracticeCategory, Team
from app.errors import InvalidInput
from app.etag import Encoded, encode_json
from app.statistics import queries as q
from app.statistics.cache import StatsCache
from app.statistics.indicators import data_quality, outcomes
from app.statistics.tables import (
    AGE_ROWS,
    ANSWER_COLUMNS,
    MODALITY_ROWS,
    NATIONALITY_ROWS,
    PURPOSE_ROWS,
    REPORT_ORDER,
    SEX_ROWS,
    TEAM_ROWS,
    TYPOLOGY_ROWS,
    VIOLENCE_ROWS,
    category_rows,
    count_group,
    percent,
    table_head,
)

Table = dict[str, Any]
Counts = dict[str, int] | None  # counts computed beforehand (the report's single pass)
MIN_YEAR, MAX_YEAR = 1990, 2100


def resolve_scope(
    session: Session, *, first: int | None = None, last: int | None = None, team: str | None = None
) -> q.Scope:
    """Fill left-out years with the earliest/latest years holding data (None when none)."""
    if team is not None and team not in {t.value for t in Team}:
        raise InvalidInput("team", "Unknown team.")
    for name, value in (("from", first), ("to", last)):
        if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
            raise InvalidInput(name, f"Year must be between {MIN_YEAR} and {MAX_YEAR}.")
    if first is not None and last is not None and first > last:
        raise InvalidInput("from", "`from` must not be after `to`.")
    if first is None or last is None:
        low, high = q.year_span(session, team)
        if first is None and last is None:
            return q.Scope(low, high, team, whole=True)
        elif first is None:
            first = low if low is not None and low <= last else last  # type: ignore[operator]
        else:
            last = high if high is not None and high >= first else first
    return q.Scope(first, last, team)


class Figures(NamedTuple):
    """What to compute (`compute`) and its cache key (without the data version)."""

    key: tuple[Any, ...]
    compute: Callable[[], Table]


def get_figures(session: Session, figures: Figures, cache: StatsCache | None = None) -> Table:
    """The figures as a dict of the caller's own (cached)."""
    # No cache given, no caching: a process-wide cache keyed on the data version alone would
    # mix up databases (tests, CLI tools) whose counters happen to be equal.
    if cache is None:
        return figures.compute()
    value = cache.get_or_compute(session, figures.key, figures.compute)
    return copy.deepcopy(value)  # callers may decorate their copy


def get_json(session: Session, figures: Figures, cache: StatsCache | None = None) -> Encoded:
    """The figures as the JSON body of their API response, with its ETag (cached)."""
    if cache is None:
        return encode_json(figures.compute())

    def encode() -> Encoded:
        # The dict is cached too (CSV, XLSX and the web pages use it); encoding only reads it.
        return encode_json(cache.get_or_compute(session, figures.key, figures.compute))

    encoded: Encoded = cache.get_or_compute(session, ("json", *figures.key), encode)
    return encoded


def _years(scope: q.Scope) -> tuple[int | None, int | None]:
    return scope.first, scope.last


def _cases_victims_group(
    name: str, label: str, rows: list[tuple[Any, str]], counts: dict[str, dict[Any, int]]
) -> dict[str, Any]:
    cases, victims = counts["cases"], counts["victims"]
    return {
        "name": name,
        "label": label,
        "rows": [
            {
                "key": str(key),
                "label": text,
                "cases": cases.get(key, 0),
                "victims": victims.get(key, 0),
            }
            for key, text in rows
        ],
        "total": {
            "cases": sum(cases.get(k, 0) for k, _ in rows),
            "victims": sum(victims.get(k, 0) for k, _ in rows),
        },
        "not_recorded": 0,
    }


def build_cases_by_team(session: Session, scope: q.Scope) -> Table:
    counts = q.cases_and_victims_by(session, scope, "team")
    return table_head(
        "10",
        _years(scope),
        scope.team,
        groups=[_cases_victims_group("team", "Región", TEAM_ROWS, counts)],
    )


def build_cases_by_year(session: Session, scope: q.Scope) -> Table:
    counts = q.cases_and_victims_by(session, scope, "year")
    years = [] if scope.first is None or scope.last is None else range(scope.first, scope.last + 1)
    rows = [(y, str(y)) for y in years]
    return table_head(
        "11", _years(scope), scope.team, groups=[_cases_victims_group("year", "Año", rows, counts)]
    )


def build_victim_profile(session: Session, scope: q.Scope, pre: Counts = None) -> Table:
    c = pre or q.victim_profile(session, scope)
    total = c["total"]
    groups = []
    for name, label, rows in (
        ("sex", "Sexo", SEX_ROWS),
        ("age_range", "Rango etario", AGE_ROWS),
        ("nationality", "Nacionalidad", NATIONALITY_ROWS),
    ):
        counts = {key: c[f"{name}:{key}"] for key, _ in rows}
        groups.append(count_group(name, label, rows, counts, total=total))
    return table_head("12", _years(scope), scope.team, groups=groups)


def build_typology(session: Session, scope: q.Scope, pre: Counts = None) -> Table:
    c = pre or q.typology(session, scope)
    group = count_group(
        "typology", "Tipificación", TYPOLOGY_ROWS, c, total=c["total"], not_recorded=c["null"]
    )
    return table_head("13", _years(scope), scope.team, groups=[group])


def build_trafficking_purpose(session: Session, scope: q.Scope, pre: Counts = None) -> Table:
    c = pre or q.trafficking_purpose(session, scope, [k for k, _ in PURPOSE_ROWS])
    # Purpose is required for trafficking, so "not recorded" is 0 unless old data lacks it.
    recorded = c["total"] - c["null"]
    group = count_group(
        "trafficking_purpose", "Finalidad", PURPOSE_ROWS, c, total=recorded, not_recorded=c["null"]
    )
    return table_head("14", _years(scope), scope.team, groups=[group])


def build_capture_modality(session: Session, scope: q.Scope, pre: Counts = None) -> Table:
    c = pre or q.capture_modality(session, scope)
    recorded = c["total"] - c["null"]
    group = count_group(
        "capture_modality", "Modalidad", MODALITY_ROWS, c, total=recorded, not_recorded=c["null"]
    )
    return table_head(
        "15", _years(scope), scope.team, groups=[group], trafficking_victims=c["total"]
    )


def build_violence_history(session: Session, scope: q.Scope, pre: Counts = None) -> Table:
    c = pre or q.violence_history(session, scope)
    total = c["total"]
    rows = []
    for kind, text in VIOLENCE_ROWS:
        counts = {a: c[f"{kind}:{a}"] for a, _ in ANSWER_COLUMNS}
        rows.append(
            {
                "key": kind,
                "label": text,
                "counts": counts,
                "percents": {a: percent(n, total) for a, n in counts.items()},
            }
        )
    group = {
        "name": "violence_type",
        "label": "Tipo",
        "rows": rows,
        "total": total,
        # Victims with no answer at all on any of the five types.
        "not_recorded": c["none_recorded"],
        "unknown": c["any_unknown"],
    }
    return table_head(
        "16",
        _years(scope),
        scope.team,
        groups=[group],
        columns=[{"key": a, "label": t} for a, t in ANSWER_COLUMNS],
    )


def build_practices(session: Session, scope: q.Scope, polarity: str) -> Table:
    codes = [c.value for c in PracticeCategory]
    c = q.practices(session, scope, polarity, codes)
    group = count_group("category", "Categoría", category_rows(polarity), c, total=c["total"])
    number = "17" if polarity == "good" else "18"
    return table_head(number, _years(scope), scope.team, polarity=polarity, groups=[group])


BUILDERS: dict[str, Callable[..., Table]] = {
    "10": build_cases_by_team,
    "11": build_cases_by_year,
    "12": build_victim_profile,
    "13": build_typology,
    "14": build_trafficking_purpose,
    "15": build_capture_modality,
    "16": build_violence_history,
    "17": lambda s, scope: build_practices(s, scope, "good"),
    "18": lambda s, scope: build_practices(s, scope, "bad"),
}


def table_figures(
    session: Session,
    number: str,
    *,
    first: int | None = None,
    last: int | None = None,
    team: str | None = None,
) -> Figures:
    """One published table ("10".."18") for the given years and team."""
    builder = BUILDERS[number]

    def compute() -> Table:
        return builder(session, resolve_scope(session, first=first, last=last, team=team))

    return Figures(("table", number, first, last, team), compute)


def report_figures(
    session: Session, *, first: int | None = None, last: int | None = None, team: str | None = None
) -> Figures:
    """Every published table for the same years and team: `{"from", "to", "tables"}`."""

    def compute() -> Table:
        scope = resolve_scope(session, first=first, last=last, team=team)
        # Tablas 12-16 counted in one pass over the victims, not one pass each.
        pre = q.victim_tables(session, scope, [k for k, _ in PURPOSE_ROWS])
        tables = [
            BUILDERS[n](session, scope, pre[n]) if n in pre else BUILDERS[n](session, scope)
            for n in REPORT_ORDER
        ]
        return {"from": scope.first, "to": scope.last, "team": team, "tables": tables}

    return Figures(("report", first, last, team), compute)


def data_quality_figures(
    session: Session, *, first: int | None = None, last: int | None = None, team: str | None = None
) -> Figures:
    """Per team and year, the share of victims with each profile field not recorded."""

    def compute() -> Table:
        return data_quality(session, resolve_scope(session, first=first, last=last, team=team))

    return Figures(("data-quality", first, last, team), compute)


def outcomes_figures(
    session: Session, *, first: int | None = None, last: int | None = None, team: str | None = None
) -> Figures:
    """Outcome indicators: plans, follow-up actions, closures and referrals."""

    def compute() -> Table:
        return outcomes(session, resolve_scope(session, first=first, last=last, team=team))

    return Figures(("outcomes", first, last, team), compute)


def get_table(
    session: Session,
    number: str,
    *,
    first: int | None = None,
    last: int | None = None,
    team: str | None = None,
    cache: StatsCache | None = None,
) -> Table:
    """One published table ("10".."18") for the given years and team."""
    figures = table_figures(session, number, first=first, last=last, team=team)
    return get_figures(session, figures, cache)


def get_report(
    session: Session,
    *,
    first: int | None = None,
    last: int | None = None,
    team: str | None = None,
    cache: StatsCache | None = None,
) -> Table:
    """Every published table for the same years and team: `{"from", "to", "tables"}`."""
    figures = report_figures(session, first=first, last=last, team=team)
    return get_figures(session, figures, cache)


def get_data_quality(
    session: Session,
    *,
    first: int | None = None,
    last: int | None = None,
    team: str | None = None,
    cache: StatsCache | None = None,
) -> Table:
    """Per team and year, the share of victims with each profile field not recorded."""
    figures = data_quality_figures(session, first=first, last=last, team=team)
    return get_figures(session, figures, cache)


def get_outcomes(
    session: Session,
    *,
    first: int | None = None,
    last: int | None = None,
    team: str | None = None,
    cache: StatsCache | None = None,
) -> Table:
    """Outcome indicators: plans, follow-up actions, closures and referrals."""
    figures = outcomes_figures(session, first=first, last=last, team=team)
    return get_figures(session, figures, cache)
