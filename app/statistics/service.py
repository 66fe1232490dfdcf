"""The published tables (Tablas 10-18), the report and the indicators, counted by the database.

Public functions take a session and keyword filters (`first`, `last` inclusive years, `team`)
and return the figures as their models (`app.statistics.schemas`, the shapes api.md
specifies). Results are cached on the data version: as models (`get_*`, for the other formats
and the web pages) and as the encoded JSON body (`get_json`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypedDict, TypeVar, Unpack

from sqlalchemy.orm import Session

from app.catalogs import Team
from app.errors import InvalidInput
from app.etag import Encoded, encode_model
from app.statistics.cache import StatsCache
from app.statistics.counting import Scope, year_span
from app.statistics.outcomes import outcomes
from app.statistics.published import build_report, build_table
from app.statistics.quality import data_quality
from app.statistics.schemas import DataQualityTable, Figure, OutcomesTable, PublishedTable, Report

MIN_YEAR, MAX_YEAR = 1990, 2100
F = TypeVar("F", bound=Figure, covariant=True)


def resolve_scope(
    session: Session, *, first: int | None = None, last: int | None = None, team: str | None = None
) -> Scope:
    """Fill left-out years with the earliest/latest years holding data (None when none)."""
    if team is not None and team not in {t.value for t in Team}:
        raise InvalidInput("team", "team_unknown")
    for name, value in (("from", first), ("to", last)):
        if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
            raise InvalidInput(name, "year_out_of_range", min_year=MIN_YEAR, max_year=MAX_YEAR)
    if first is not None and last is not None and first > last:
        raise InvalidInput("from", "year_range_reversed")
    if first is None or last is None:
        low, high = year_span(session, team)
        if first is None and last is None:
            return Scope(low, high, team, whole=True)
        elif first is None:
            first = low if low is not None and low <= last else last  # type: ignore[operator]
        else:
            last = high if high is not None and high >= first else first
    return Scope(first, last, team)


@dataclass(frozen=True)
class Figures(Generic[F]):
    """What to compute (`compute`) and its cache key (without the data version)."""

    key: tuple[Hashable, ...]
    compute: Callable[[], F]


def get_figures(session: Session, figures: Figures[F], cache: StatsCache | None = None) -> F:
    """The figures (cached; immutable, so every caller shares the cached ones)."""
    # No cache given, no caching: a process-wide cache keyed on the data version alone would
    # mix up databases (tests, CLI tools) whose counters happen to be equal.
    if cache is None:
        return figures.compute()
    return cache.get_or_compute(session, figures.key, figures.compute)


def get_json(
    session: Session, figures: Figures[Figure], cache: StatsCache | None = None
) -> Encoded:
    """The figures as the JSON body of their API response, with its ETag (cached)."""
    if cache is None:
        return encode_model(figures.compute())

    def encode() -> Encoded:
        # The figures are cached too (CSV, XLSX and the web pages use them).
        return encode_model(get_figures(session, figures, cache))

    return cache.get_or_compute(session, ("json", *figures.key), encode)


class Period(TypedDict, total=False):
    """The filters every figure takes as keywords: `first` and `last` (inclusive years) and
    `team`; one left out (or None) means every year holding data, or every team."""

    first: int | None
    last: int | None
    team: str | None


def _figures(
    session: Session,
    key: tuple[Hashable, ...],
    build: Callable[[Session, Scope], F],
    period: Period,
) -> Figures[F]:
    first, last, team = period.get("first"), period.get("last"), period.get("team")

    def compute() -> F:
        return build(session, resolve_scope(session, first=first, last=last, team=team))

    return Figures((*key, first, last, team), compute)


def table_figures(
    session: Session, number: str, **period: Unpack[Period]
) -> Figures[PublishedTable]:
    """One published table ("10".."18") for the given years and team."""

    def build(s: Session, scope: Scope) -> PublishedTable:
        return build_table(s, scope, number)

    return _figures(session, ("table", number), build, period)


def report_figures(session: Session, **period: Unpack[Period]) -> Figures[Report]:
    """Every published table for the same years and team."""
    return _figures(session, ("report",), build_report, period)


def data_quality_figures(session: Session, **period: Unpack[Period]) -> Figures[DataQualityTable]:
    """Per team and year, the share of victims with each profile field not recorded."""
    return _figures(session, ("data-quality",), data_quality, period)


def outcomes_figures(session: Session, **period: Unpack[Period]) -> Figures[OutcomesTable]:
    """Outcome indicators: plans, follow-up actions, closures and referrals."""
    return _figures(session, ("outcomes",), outcomes, period)


def get_table(
    session: Session, number: str, *, cache: StatsCache | None = None, **period: Unpack[Period]
) -> PublishedTable:
    """One published table ("10".."18") for the given years and team."""
    return get_figures(session, table_figures(session, number, **period), cache)


def get_report(
    session: Session, *, cache: StatsCache | None = None, **period: Unpack[Period]
) -> Report:
    """Every published table for the same years and team."""
    return get_figures(session, report_figures(session, **period), cache)


def get_data_quality(
    session: Session, *, cache: StatsCache | None = None, **period: Unpack[Period]
) -> DataQualityTable:
    """Per team and year, the share of victims with each profile field not recorded."""
    return get_figures(session, data_quality_figures(session, **period), cache)


def get_outcomes(
    session: Session, *, cache: StatsCache | None = None, **period: Unpack[Period]
) -> OutcomesTable:
    """Outcome indicators: plans, follow-up actions, closures and referrals."""
    return get_figures(session, outcomes_figures(session, **period), cache)
