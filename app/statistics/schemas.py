"""Response shapes of the statistics endpoints (api.md, "Statistics")."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_ROW_EXAMPLE: dict[str, Any] = {
    "key": "female",
    "label": "Femenino",
    "count": 621,
    "percent": 84.15,
}
_GROUP_EXAMPLE: dict[str, Any] = {
    "name": "sex",
    "label": "Sexo",
    "rows": [_ROW_EXAMPLE],
    "total": 738,
    "not_recorded": 0,
}
_TABLE_EXAMPLE: dict[str, Any] = {
    "table": "12",
    "title": "Perfil de la víctima",
    "unit": "victims",
    "unit_label": "víctimas",
    "denominator": "all_victims",
    "denominator_label": "todas las víctimas ingresadas en el periodo",
    "from": 2023,
    "to": 2025,
    "team": None,
    "groups": [_GROUP_EXAMPLE],
}


class StatsRow(BaseModel):
    """One row: `count`+`percent`, or `cases`+`victims` (Tablas 10-11), or `counts`+`percents`
    keyed by answer (Tabla 16) or by field (data quality)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [_ROW_EXAMPLE]})

    key: str
    label: str
    count: int | None = None
    percent: float | None = None
    cases: int | None = None
    victims: int | None = None
    counts: dict[str, int] | None = None
    percents: dict[str, float] | None = None


class StatsGroup(BaseModel):
    """A group of rows with its total (the percentages' denominator) and unrecorded count."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [_GROUP_EXAMPLE]})

    name: str
    label: str
    rows: list[StatsRow]
    total: int | dict[str, int]
    not_recorded: int = 0


class StatsTable(BaseModel):
    """A statistics table: what is counted (unit), over what (denominator), and its groups."""

    model_config = ConfigDict(
        extra="allow", populate_by_name=True, json_schema_extra={"examples": [_TABLE_EXAMPLE]}
    )

    table: str
    title: str
    unit: str
    unit_label: str
    denominator: str
    denominator_label: str
    from_: int | None = Field(alias="from")
    to: int | None
    team: str | None = None
    groups: list[StatsGroup]


class StatsReport(BaseModel):
    """Every published table (Tablas 10-18) for the same years and team."""

    model_config = ConfigDict(
        populate_by_name=True,
        json_schema_extra={
            "examples": [{"from": 2023, "to": 2025, "team": None, "tables": [_TABLE_EXAMPLE]}]
        },
    )

    from_: int | None = Field(alias="from")
    to: int | None
    team: str | None = None
    tables: list[StatsTable]
