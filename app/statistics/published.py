"""The published tables (Tablas 10-18) and the report, shaped from the database's counts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from sqlalchemy.orm import Session

from app.catalogs import PracticeCategory
from app.statistics import queries as q
from app.statistics.counting import Scope
from app.statistics.schemas import (
    AnswerRow,
    CaptureModalityTable,
    CasesVictims,
    CasesVictimsGroup,
    CasesVictimsRow,
    CasesVictimsTable,
    Column,
    CountTable,
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
Polarity = Literal["good", "bad"]


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


def build_cases_by_team(session: Session, scope: Scope) -> CasesVictimsTable:
    counts = q.cases_and_victims_by(session, scope, "team")
    group = _cases_victims_group("team", "Región", TEAM_ROWS, counts)
    return published(CasesVictimsTable, "10", scope, groups=[group])


def build_cases_by_year(session: Session, scope: Scope) -> CasesVictimsTable:
    counts = q.cases_and_victims_by(session, scope, "year")
    years = [] if scope.first is None or scope.last is None else range(scope.first, scope.last + 1)
    group = _cases_victims_group("year", "Año", [(y, str(y)) for y in years], counts)
    return published(CasesVictimsTable, "11", scope, groups=[group])


# Tablas 12-16 are shaped from counts of the victims (`VICTIM_TABLES`): counted one table at a
# time, or all five in one pass for the report.


def victim_profile_table(scope: Scope, c: Counts) -> CountTable:
    groups = [
        count_group(name, label, rows, {k: c[f"{name}:{k}"] for k, _ in rows}, total=c["total"])
        for name, label, rows in (
            ("sex", "Sexo", SEX_ROWS),
            ("age_range", "Rango etario", AGE_ROWS),
            ("nationality", "Nacionalidad", NATIONALITY_ROWS),
        )
    ]
    return published(CountTable, "12", scope, groups=groups)


def typology_table(scope: Scope, c: Counts) -> CountTable:
    group = count_group(
        "typology", "Tipificación", TYPOLOGY_ROWS, c, total=c["total"], not_recorded=c["null"]
    )
    return published(CountTable, "13", scope, groups=[group])


def trafficking_purpose_table(scope: Scope, c: Counts) -> CountTable:
    # Purpose is required for trafficking, so "not recorded" is 0 unless old data lacks it.
    recorded = c["total"] - c["null"]
    group = count_group(
        "trafficking_purpose", "Finalidad", PURPOSE_ROWS, c, total=recorded, not_recorded=c["null"]
    )
    return published(CountTable, "14", scope, groups=[group])


def capture_modality_table(scope: Scope, c: Counts) -> CaptureModalityTable:
    recorded = c["total"] - c["null"]
    group = count_group(
        "capture_modality", "Modalidad", MODALITY_ROWS, c, total=recorded, not_recorded=c["null"]
    )
    return published(
        CaptureModalityTable, "15", scope, groups=[group], trafficking_victims=c["total"]
    )


def violence_history_table(scope: Scope, c: Counts) -> ViolenceTable:
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


def build_practices(session: Session, scope: Scope, polarity: Polarity) -> PracticesTable:
    codes = [c.value for c in PracticeCategory]
    c = q.practices(session, scope, polarity, codes)
    group = count_group("category", "Categoría", category_rows(polarity), c, total=c["total"])
    number = "17" if polarity == "good" else "18"
    return published(PracticesTable, number, scope, polarity=polarity, groups=[group])


PURPOSE_CODES = [k for k, _ in PURPOSE_ROWS]
VictimCounting = Callable[[Session, Scope], Counts]
VICTIM_TABLES: dict[str, tuple[VictimCounting, Callable[[Scope, Counts], PublishedTable]]] = {
    "12": (q.victim_profile, victim_profile_table),
    "13": (q.typology, typology_table),
    "14": (
        lambda s, scope: q.trafficking_purpose(s, scope, PURPOSE_CODES),
        trafficking_purpose_table,
    ),
    "15": (q.capture_modality, capture_modality_table),
    "16": (q.violence_history, violence_history_table),
}
OTHER_TABLES: dict[str, Callable[[Session, Scope], PublishedTable]] = {
    "10": build_cases_by_team,
    "11": build_cases_by_year,
    "17": lambda s, scope: build_practices(s, scope, "good"),
    "18": lambda s, scope: build_practices(s, scope, "bad"),
}


def build_table(session: Session, scope: Scope, number: str) -> PublishedTable:
    """Published table `number` ("10".."18"), counted on its own."""
    if number in VICTIM_TABLES:
        count, shape = VICTIM_TABLES[number]
        return shape(scope, count(session, scope))
    return OTHER_TABLES[number](session, scope)


def build_report(session: Session, scope: Scope) -> Report:
    # Tablas 12-16 counted in one pass over the victims, not one pass each.
    pre = q.victim_tables(session, scope, PURPOSE_CODES)
    tables = [
        VICTIM_TABLES[n][1](scope, pre[n]) if n in pre else build_table(session, scope, n)
        for n in REPORT_ORDER
    ]
    return Report(from_=scope.first, to=scope.last, team=scope.team, tables=tables)
