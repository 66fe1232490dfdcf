"""What each published table is: number, Spanish title, unit, denominator and its rows.

The phrasing is the report's (X Informe Alternativo 2023-2025), which wins over the catalog
labels where they differ (e.g. "TIC" in Tabla 15). Row order is catalog order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from app.catalogs import (
    LABELS,
    AgeRange,
    NationalityGroup,
    PracticeCategory,
    Sex,
    Team,
    TraffickingPurpose,
    Typology,
    ViolenceAnswer,
    ViolenceType,
)
from app.statistics.counting import Scope
from app.statistics.schemas import CountGroup, CountRow, TableHead

T = TypeVar("T", bound=TableHead)

UNIT_LABELS = {
    "cases_and_victims": "casos y víctimas",
    "victims": "víctimas",
    "detections": "detecciones",
    "actions": "acciones",
    "plans": "planes",
    "cases": "casos",
    "referrals": "derivaciones",
    "mixed": "según el grupo",  # the outcomes: each group says its own unit
}

DENOMINATOR_LABELS = {
    "all_cases_and_victims": "todos los casos (año de apertura) y víctimas (año de ingreso)",
    "all_victims": "todas las víctimas ingresadas en el periodo",
    "trafficking_victims": "víctimas con tipificación trata de personas",
    "trafficking_victims_with_modality": "víctimas de trata con la modalidad de captación "
    "registrada",
    "detections_of_polarity": "detecciones de la misma polaridad en el periodo",
    "victims_field_applies": "víctimas del equipo y año a las que se aplica el campo",
    "group_total": "el total de cada grupo",
}


@dataclass(frozen=True)
class TableSpec:
    number: str
    slug: str
    title: str
    unit: str
    denominator: str
    sheet: str | None = None  # the XLSX sheet of a table without a number


def _by_number(*specs: TableSpec) -> dict[str, TableSpec]:
    """Specs looked up by their number, in the order they are published."""
    return {spec.number: spec for spec in specs}


TABLES = _by_number(
    TableSpec(
        "10",
        "cases-by-team",
        "Casos y víctimas por región (equipo)",
        "cases_and_victims",
        "all_cases_and_victims",
    ),
    TableSpec(
        "11",
        "cases-by-year",
        "Casos y víctimas por año",
        "cases_and_victims",
        "all_cases_and_victims",
    ),
    TableSpec("12", "victim-profile", "Perfil de la víctima", "victims", "all_victims"),
    TableSpec("13", "typology", "Tipificación de las víctimas", "victims", "all_victims"),
    TableSpec(
        "14", "trafficking-purpose", "Finalidad de la trata", "victims", "trafficking_victims"
    ),
    TableSpec(
        "15",
        "capture-modality",
        "Modalidad de captación",
        "victims",
        "trafficking_victims_with_modality",
    ),
    TableSpec("16", "violence-history", "Antecedentes de violencia", "victims", "all_victims"),
    TableSpec(
        "17",
        "practices-good",
        "Buenas prácticas por categoría",
        "detections",
        "detections_of_polarity",
    ),
    TableSpec(
        "18",
        "practices-bad",
        "Malas prácticas por categoría",
        "detections",
        "detections_of_polarity",
    ),
)
# The indicators beyond the published tables (app.statistics.indicators).
INDICATORS = _by_number(
    TableSpec(
        "data-quality",
        "data-quality",
        "Calidad de los datos: víctimas sin información por campo",
        "victims",
        "victims_field_applies",
        sheet="Calidad de datos",
    ),
    TableSpec(
        "outcomes", "outcomes", "Indicadores de resultado", "mixed", "group_total", "Resultados"
    ),
)
REPORT_ORDER = ("10", "11", "12", "13", "14", "15", "16", "17", "18")

# Group name -> (Spanish label, [(code, label)]) in catalog order.
TEAM_ROWS = [(t.value, LABELS["team"][t.value]) for t in Team]
SEX_ROWS = [(s.value, LABELS["sex"][s.value]) for s in Sex]
AGE_ROWS = [(a.value, LABELS["age_range"][a.value]) for a in AgeRange]
NATIONALITY_ROWS = [(n.value, LABELS["nationality_group"][n.value]) for n in NationalityGroup]
TYPOLOGY_ROWS = [(t.value, LABELS["typology"][t.value]) for t in Typology]
PURPOSE_ROWS = [(p.value, LABELS["trafficking_purpose"][p.value]) for p in TraffickingPurpose]
# Tabla 15 shows the first modality and ICT; every other recorded modality is "Otros".
MODALITY_ROWS = [("false_job_offer", "Falsa oferta de empleo"), ("ict", "TIC"), ("other", "Otros")]
VIOLENCE_ROWS = [(v.value, LABELS["violence_type"][v.value]) for v in ViolenceType]
ANSWER_COLUMNS = [(a.value, LABELS["violence_answer"][a.value]) for a in ViolenceAnswer]
# In separate tables the combined label of the report splits by polarity.
VICTIM_RIGHTS_LABEL = {
    "good": "Protección de los derechos de la víctima",
    "bad": "Vulneración de los derechos de la víctima",
}


def category_rows(polarity: str) -> list[tuple[str, str]]:
    rows = []
    for c in PracticeCategory:
        text = LABELS["practice_category"][c.value]
        if c is PracticeCategory.victim_rights:
            text = VICTIM_RIGHTS_LABEL[polarity]
        rows.append((c.value, text))
    return rows


_CENT = Decimal("0.01")


def percent(count: int, total: int) -> float:
    """Share of `total`, in percent, rounded half-up to 2 decimals (0 when total is 0)."""
    if not total:
        return 0.0
    value = (Decimal(count) * 100 / Decimal(total)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return float(value)


def count_rows(
    rows: list[tuple[str, str]], counts: Mapping[str, int], total: int
) -> list[CountRow]:
    """A `count` + `percent` row per code, every code present, zeros included."""
    return [
        CountRow(
            key=key,
            label=text,
            count=counts.get(key, 0),
            percent=percent(counts.get(key, 0), total),
        )
        for key, text in rows
    ]


def count_group(
    name: str,
    label: str,
    rows: list[tuple[str, str]],
    counts: Mapping[str, int],
    *,
    total: int,
    not_recorded: int = 0,
) -> CountGroup:
    """A group of `count` + `percent` rows, every code present, zeros included."""
    return CountGroup(
        name=name,
        label=label,
        rows=count_rows(rows, counts, total),
        total=total,
        not_recorded=not_recorded,
    )


def published(model: type[T], number: str, scope: Scope, **fields: Any) -> T:
    """Published table `number` ("10".."18") of `scope`, with the fields of its shape."""
    return shaped(model, TABLES[number], scope, **fields)


def shaped(model: type[T], spec: TableSpec, scope: Scope, **fields: Any) -> T:
    """The table `spec` describes, of `scope`, with the fields of its shape."""
    return model(
        table=spec.number,
        sheet=spec.sheet,
        title=spec.title,
        unit=spec.unit,
        unit_label=UNIT_LABELS[spec.unit],
        denominator=spec.denominator,
        denominator_label=DENOMINATOR_LABELS[spec.denominator],
        from_=scope.first,
        to=scope.last,
        team=scope.team,
        **fields,
    )
