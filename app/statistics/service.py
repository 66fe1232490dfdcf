"""The published tables (Tablas 10-18), the report and the indicators, counted by the database.

Public functions take a session and keyword filters (`first`, `last` inclusive years, `team`)
and return the figures as their models (`app.statistics.schemas`, the shapes api.md
specifies). Results are cached on the data version: as models (`get_*`, for the other formats
and the web pages) and as the encoded JSON body (`get_json`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from sqlalchemy.orm import Session

from app.catalogs import PracticeCategory, Team
from app.errors import InvalidInput
from app.etag import Encoded, encode_model
from app.statistics import queries as q
from app.statistics.cache import StatsCache
from app.statistics.indicators import data_quality, outcomes
from app.statistics.schemas import (
    AnswerRow,
    CaptureModalityTable,
    CasesVictims,
    CasesVictimsGroup,
    CasesVictimsRow,
    CasesVictimsTable,
    Column,
    CountTable,
    DataQualityTable,
    Figure,
    OutcomesTable,
    PracticesTable,
    PublishedTable,
    Report,
    ViolenceGroup,
    ViolenceTable,
)
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
    published,
)

Counts = dict[str, int]
MIN_YEAR, MAX_YEAR = 1990, 2100
F = TypeVar("F", bound=Figure, covariant=True)
Polarity = Literal["good", "bad"]


def resolve_scope(
    session: Session, *, first: int | None = None, last: int | None = None, team: str | None = None
) -> q.Scope:
    """Fill left-out years with the earliest/latest years holding data (None when none)."""
    if team is not None and team not in {t.value for t in Team}:
        raise InvalidInput("team", "team_unknown")
    for name, value in (("from", first), ("to", last)):
        if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
            raise InvalidInput(name, "year_out_of_range", min_year=MIN_YEAR, max_year=MAX_YEAR)
    if first is not None and last is not None and first > last:
        raise InvalidInput("from", "year_range_reversed")
    if first is None or last is None:
        low, high = q.year_span(session, team)
        if first is None and last is None:
            return q.Scope(low, high, team, whole=True)
        elif first is None:
            first = low if low is not None and low <= last else last  # type: ignore[operator]
        else:
            last = high if high is not None and high >= first else first
    return q.Scope(first, last, team)


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


def _cases_victims_group(
    name: str, label: str, rows: Sequence[tuple[int | str, str]], counts: q.CasesVictimsCounts
) -> CasesVictimsGroup:
    cases, victims = counts["cases"], counts["victims"]
    return CasesVictimsGroup(
        name=name,
        label=label,
        rows=[
            CasesVictimsRow(
                key=str(key), label=text, cases=cases.get(key, 0), victims=victims.get(key, 0)
            )
            for key, text in rows
        ],
        total=CasesVictims(
            cases=sum(cases.get(k, 0) for k, _ in rows),
            victims=sum(victims.get(k, 0) for k, _ in rows),
        ),
        not_recorded=0,
    )


def build_cases_by_team(session: Session, scope: q.Scope) -> CasesVictimsTable:
    counts = q.cases_and_victims_by(session, scope, "team")
    group = _cases_victims_group("team", "Región", TEAM_ROWS, counts)
    return published(CasesVictimsTable, "10", scope, groups=[group])


def build_cases_by_year(session: Session, scope: q.Scope) -> CasesVictimsTable:
    counts = q.cases_and_victims_by(session, scope, "year")
    years = [] if scope.first is None or scope.last is None else range(scope.first, scope.last + 1)
    group = _cases_victims_group("year", "Año", [(y, str(y)) for y in years], counts)
    return published(CasesVictimsTable, "11", scope, groups=[group])


# Tablas 12-16 are shaped from counts of the victims (`VICTIM_TABLES`): counted one table at a
# time, or all five in one pass for the report.


def victim_profile_table(scope: q.Scope, c: Counts) -> CountTable:
    groups = [
        count_group(name, label, rows, {k: c[f"{name}:{k}"] for k, _ in rows}, total=c["total"])
        for name, label, rows in (
            ("sex", "Sexo", SEX_ROWS),
            ("age_range", "Rango etario", AGE_ROWS),
            ("nationality", "Nacionalidad", NATIONALITY_ROWS),
        )
    ]
    return published(CountTable, "12", scope, groups=groups)


def typology_table(scope: q.Scope, c: Counts) -> CountTable:
    group = count_group(
        "typology", "Tipificación", TYPOLOGY_ROWS, c, total=c["total"], not_recorded=c["null"]
    )
    return published(CountTable, "13", scope, groups=[group])


def trafficking_purpose_table(scope: q.Scope, c: Counts) -> CountTable:
    # Purpose is required for trafficking, so "not recorded" is 0 unless old data lacks it.
    recorded = c["total"] - c["null"]
    group = count_group(
        "trafficking_purpose", "Finalidad", PURPOSE_ROWS, c, total=recorded, not_recorded=c["null"]
    )
    return published(CountTable, "14", scope, groups=[group])


def capture_modality_table(scope: q.Scope, c: Counts) -> CaptureModalityTable:
    recorded = c["total"] - c["null"]
    group = count_group(
        "capture_modality", "Modalidad", MODALITY_ROWS, c, total=recorded, not_recorded=c["null"]
    )
    return published(
        CaptureModalityTable, "15", scope, groups=[group], trafficking_victims=c["total"]
    )


def violence_history_table(scope: q.Scope, c: Counts) -> ViolenceTable:
    total = c["total"]
    rows = []
    for kind, text in VIOLENCE_ROWS:
        counts = {a: c[f"{kind}:{a}"] for a, _ in ANSWER_COLUMNS}
        percents = {a: percent(n, total) for a, n in counts.items()}
        rows.append(AnswerRow(key=kind, label=text, counts=counts, percents=percents))
    group = ViolenceGroup(
        name="violence_type",
        label="Tipo",
        rows=rows,
        total=total,
        # Victims with no answer at all on any of the five types.
        not_recorded=c["none_recorded"],
        unknown=c["any_unknown"],
    )
    columns = [Column(key=a, label=t) for a, t in ANSWER_COLUMNS]
    return published(ViolenceTable, "16", scope, groups=[group], columns=columns)


def build_practices(session: Session, scope: q.Scope, polarity: Polarity) -> PracticesTable:
    codes = [c.value for c in PracticeCategory]
    c = q.practices(session, scope, polarity, codes)
    group = count_group("category", "Categoría", category_rows(polarity), c, total=c["total"])
    number = "17" if polarity == "good" else "18"
    return published(PracticesTable, number, scope, polarity=polarity, groups=[group])


PURPOSE_CODES = [k for k, _ in PURPOSE_ROWS]
VictimCounting = Callable[[Session, q.Scope], Counts]
VICTIM_TABLES: dict[str, tuple[VictimCounting, Callable[[q.Scope, Counts], PublishedTable]]] = {
    "12": (q.victim_profile, victim_profile_table),
    "13": (q.typology, typology_table),
    "14": (
        lambda s, scope: q.trafficking_purpose(s, scope, PURPOSE_CODES),
        trafficking_purpose_table,
    ),
    "15": (q.capture_modality, capture_modality_table),
    "16": (q.violence_history, violence_history_table),
}
OTHER_TABLES: dict[str, Callable[[Session, q.Scope], PublishedTable]] = {
    "10": build_cases_by_team,
    "11": build_cases_by_year,
    "17": lambda s, scope: build_practices(s, scope, "good"),
    "18": lambda s, scope: build_practices(s, scope, "bad"),
}


def build_table(session: Session, scope: q.Scope, number: str) -> PublishedTable:
    """Published table `number` ("10".."18"), counted on its own."""
    if number in VICTIM_TABLES:
        count, shape = VICTIM_TABLES[number]
        return shape(scope, count(session, scope))
    return OTHER_TABLES[number](session, scope)


def build_report(session: Session, scope: q.Scope) -> Report:
    # Tablas 12-16 counted in one pass over the victims, not one pass each.
    pre = q.victim_tables(session, scope, PURPOSE_CODES)
    tables = [
        VICTIM_TABLES[n][1](scope, pre[n]) if n in pre else build_table(session, scope, n)
        for n in REPORT_ORDER
    ]
    return Report(from_=scope.first, to=scope.last, team=scope.team, tables=tables)


def _figures(
    session: Session,
    key: tuple[Hashable, ...],
    build: Callable[[Session, q.Scope], F],
    first: int | None,
    last: int | None,
    team: str | None,
) -> Figures[F]:
    def compute() -> F:
        return build(session, resolve_scope(session, first=first, last=last, team=team))

    return Figures((*key, first, last, team), compute)


def table_figures(
    session: Session,
    number: str,
    *,
    first: int | None = None,
    last: int | None = None,
    team: str | None = None,
) -> Figures[PublishedTable]:
    """One published table ("10".."18") for the given years and team."""

    def build(s: Session, scope: q.Scope) -> PublishedTable:
        return build_table(s, scope, number)

    return _figures(session, ("table", number), build, first, last, team)


def report_figures(
    session: Session, *, first: int | None = None, last: int | None = None, team: str | None = None
) -> Figures[Report]:
    """Every published table for the same years and team."""
    return _figures(session, ("report",), build_report, first, last, team)


def data_quality_figures(
    session: Session, *, first: int | None = None, last: int | None = None, team: str | None = None
) -> Figures[DataQualityTable]:
    """Per team and year, the share of victims with each profile field not recorded."""
    return _figures(session, ("data-quality",), data_quality, first, last, team)


def outcomes_figures(
    session: Session, *, first: int | None = None, last: int | None = None, team: str | None = None
) -> Figures[OutcomesTable]:
    """Outcome indicators: plans, follow-up actions, closures and referrals."""
    return _figures(session, ("outcomes",), outcomes, first, last, team)


def get_table(
    session: Session,
    number: str,
    *,
    first: int | None = None,
    last: int | None = None,
    team: str | None = None,
    cache: StatsCache | None = None,
) -> PublishedTable:
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
) -> Report:
    """Every published table for the same years and team."""
    return get_figures(session, report_figures(session, first=first, last=last, team=team), cache)


def get_data_quality(
    session: Session,
    *,
    first: int | None = None,
    last: int | None = None,
    team: str | None = None,
    cache: StatsCache | None = None,
) -> DataQualityTable:
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
) -> OutcomesTable:
    """Outcome indicators: plans, follow-up actions, closures and referrals."""
    figures = outcomes_figures(session, first=first, last=last, team=team)
    return get_figures(session, figures, cache)
