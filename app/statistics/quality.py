"""Data quality: per team and intake year, the share of victims with each profile field
unknown or not recorded, over the victims the field applies to.

In the same table shape as Tablas 10-18, so the CSV, XLSX and HTML renderings serve it
unchanged. Counting is done by the database, as for the tables.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Row, and_, case, exists, extract, func, or_, select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.catalogs import LABELS, Team, Typology, ViolenceType
from app.statistics import queries as q
from app.statistics.counting import Scope, counted_victims, victims_from
from app.statistics.schemas import Column, DataQualityTable, QualityGroup, QualityRow
from app.statistics.tables import INDICATORS, percent, shaped
from app.victims.models import RouteLeg, Victim

ROUTE_TYPOLOGIES = ("trafficking", "sexual_exploitation", "forced_labour", "migrant_smuggling")
MISSING = ("unknown", "not_recorded")


QualityField = tuple[str, str, ColumnElement[bool], ColumnElement[bool]]


def _quality_fields() -> list[QualityField]:
    """(key, label, applies-to condition, missing condition) of each profile field."""
    everyone = Victim.id.is_not(None)
    trafficking = Victim.typology == Typology.trafficking
    has_legs = exists(select(RouteLeg.id).where(RouteLeg.victim_id == Victim.id))
    fields = [
        (
            "education_level",
            "Nivel educativo",
            everyone,
            or_(Victim.education_level.is_(None), Victim.education_level == "unknown"),
        ),
        ("disability", "Discapacidad", everyone, Victim.disability.is_(None)),
        (
            "migration_status",
            "Situación migratoria",
            everyone,
            or_(Victim.migration_status.is_(None), Victim.migration_status == "unknown"),
        ),
        (
            "trafficker_relation",
            "Relación con el tratante",
            everyone,
            or_(Victim.trafficker_relation.is_(None), Victim.trafficker_relation == "unknown"),
        ),
        (
            "capture_modality",
            "Modalidad de captación (trata)",
            trafficking,
            Victim.capture_modality.is_(None),
        ),
        (
            "route",
            "Ruta (trata, explotación, tráfico)",
            Victim.typology.in_(ROUTE_TYPOLOGIES),
            ~has_legs,
        ),
    ]
    for kind in ViolenceType:
        column = q.violence_column(kind)
        fields.append(
            (
                f"violence_{kind.value}",
                f"Violencia {LABELS['violence_type'][kind.value].lower()}",
                everyone,
                column.in_(MISSING),
            )
        )
    return fields


def data_quality(session: Session, scope: Scope) -> DataQualityTable:
    """Per team and intake year: share of victims with each profile field unknown or unrecorded."""
    fields = _quality_fields()
    year = extract("year", Victim.intake_on)
    columns: list[ColumnElement[Any]] = [
        Case.opened_by_team.label("team"),
        year.label("year"),
        func.count().label("victims"),
    ]
    for i, (_, _, applies, missing) in enumerate(fields):
        columns.append(func.sum(case((applies, 1), else_=0)).label(f"d{i}"))
        columns.append(func.sum(case((and_(applies, missing), 1), else_=0)).label(f"m{i}"))
    stmt = (
        victims_from()
        .add_columns(*columns)
        .where(*counted_victims(scope))
        .group_by(Case.opened_by_team, year)
    )
    cells: dict[tuple[str, int], Row[Any]] = {}
    for row in session.execute(stmt):
        cells[(str(row.team), int(row.year))] = row
    years = (
        []
        if scope.first is None or scope.last is None
        else list(range(scope.first, scope.last + 1))
    )
    teams = [t.value for t in Team if scope.team in (None, t.value)]
    groups = []
    sums: dict[int, dict[str, int]] = {y: {} for y in years}
    for team in teams:
        rows = []
        for y in years:
            cell = cells.get((team, y))
            counts = {"victims": int(cell.victims) if cell else 0}
            for i, (key, _, _, _) in enumerate(fields):
                counts[f"d:{key}"] = int(getattr(cell, f"d{i}") or 0) if cell else 0
                counts[f"m:{key}"] = int(getattr(cell, f"m{i}") or 0) if cell else 0
            for k, v in counts.items():
                sums[y][k] = sums[y].get(k, 0) + v
            rows.append(_quality_row(str(y), counts, fields))
        groups.append(_quality_group(team, LABELS["team"][team], rows))
    if scope.team is None:
        groups.append(
            _quality_group(
                "all", "Todos los equipos", [_quality_row(str(y), sums[y], fields) for y in years]
            )
        )
    keyed = [Column(key=key, label=label) for key, label, _, _ in fields]
    return shaped(DataQualityTable, INDICATORS["data-quality"], scope, columns=keyed, groups=groups)


def _quality_row(key: str, counts: dict[str, int], fields: list[QualityField]) -> QualityRow:
    names = [f[0] for f in fields]
    return QualityRow(
        key=key,
        label=key,
        total=counts.get("victims", 0),
        counts={n: counts.get(f"m:{n}", 0) for n in names},
        denominators={n: counts.get(f"d:{n}", 0) for n in names},
        percents={n: percent(counts.get(f"m:{n}", 0), counts.get(f"d:{n}", 0)) for n in names},
    )


def _quality_group(name: str, label: str, rows: list[QualityRow]) -> QualityGroup:
    return QualityGroup(
        name=name, label=label, rows=rows, total=sum(r.total for r in rows), not_recorded=0
    )
