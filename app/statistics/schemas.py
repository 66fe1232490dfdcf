"""Shapes of the statistics (api.md, "Statistics"): what the builders return and the API sends.

Two layers:
- the figures: one frozen model per shape (rows, groups, tables, the report). The builders
  return them, the cache keeps them and every format reads them; the JSON body is one dump of
  them, so their field order is the body's key order (the bytes, hence the ETags, depend on it).
  Unknown fields are refused: a body validates against its model only if nothing is missing
  or added.
- `StatsRow`, `StatsGroup`, `StatsTable`, `StatsReport`: the general shape the OpenAPI
  document shows (`response_model`); loose (extra fields allowed), so every figure is one.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Figure(BaseModel):
    """Base of the figures: immutable (the cache shares them), closed, dumped by alias."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True
    )


class Row(Figure):
    key: str
    label: str


class CountRow(Row):
    """Most tables: a count and its percent of the group's total."""

    count: int
    percent: float


class ReferralRow(CountRow):
    """Referrals to one institution, with the count of each outcome."""

    outcomes: dict[str, int]


class CasesVictimsRow(Row):
    """Tablas 10-11: cases (by opening) and victims (by intake)."""

    cases: int
    victims: int


class AnswerRow(Row):
    """Tabla 16: one violence type, counts and percents keyed by answer."""

    counts: dict[str, int]
    percents: dict[str, float]


class QualityRow(Row):
    """Data quality, one year: victims, and per field the missing count over those it applies to."""

    total: int
    counts: dict[str, int]
    denominators: dict[str, int]
    percents: dict[str, float]


class CasesVictims(Figure):
    cases: int
    victims: int


class Column(Figure):
    """A keyed column (an answer of Tabla 16, a field of the data quality table)."""

    key: str
    label: str


RowT = TypeVar("RowT", bound=Row)
TotalT = TypeVar("TotalT", int, CasesVictims)


class Group(Figure, Generic[RowT, TotalT]):
    """Rows with their total (the percentages' denominator) and the count not recorded."""

    name: str
    label: str
    rows: list[RowT]
    total: TotalT
    not_recorded: int = 0


CountGroup = Group[CountRow, int]
CasesVictimsGroup = Group[CasesVictimsRow, CasesVictims]
QualityGroup = Group[QualityRow, int]


class ViolenceGroup(Group[AnswerRow, int]):
    unknown: int  # victims with "unknown" on at least one type


class UnitGroup(Group[RowT, int], Generic[RowT]):
    """An outcomes group: each counts a unit of its own (victims, plans, actions...)."""

    unit: str
    unit_label: str


class TableHead(Figure):
    """What every table says about itself: number, title, unit, denominator, years, team."""

    table: str
    # The XLSX sheet name of a table without a number (a published one is "Tabla N").
    sheet: str | None = Field(default=None, exclude_if=lambda sheet: sheet is None)
    title: str
    unit: str
    unit_label: str
    denominator: str
    denominator_label: str
    from_: int | None = Field(alias="from")
    to: int | None
    team: str | None


class CasesVictimsTable(TableHead):
    """Tablas 10 (by team) and 11 (by year)."""

    groups: list[CasesVictimsGroup]


class CountTable(TableHead):
    """Tablas 12, 13 and 14."""

    groups: list[CountGroup]


class CaptureModalityTable(CountTable):
    """Tabla 15, with the trafficking victims it is drawn from (recorded modality or not)."""

    trafficking_victims: int


class ViolenceTable(TableHead):
    """Tabla 16."""

    groups: list[ViolenceGroup]
    columns: list[Column]


class PracticesTable(TableHead):
    """Tablas 17 (good) and 18 (bad)."""

    polarity: Literal["good", "bad"]
    groups: list[CountGroup]


class DataQualityTable(TableHead):
    columns: list[Column]
    groups: list[QualityGroup]


class OutcomesTable(TableHead):
    groups: list[UnitGroup[CountRow] | UnitGroup[ReferralRow]]


PublishedTable = (
    CasesVictimsTable | CountTable | CaptureModalityTable | ViolenceTable | PracticesTable
)
AnyTable = PublishedTable | DataQualityTable | OutcomesTable
AnyRow = CountRow | CasesVictimsRow | AnswerRow | QualityRow
AnyGroup = (
    CountGroup
    | CasesVictimsGroup
    | ViolenceGroup
    | QualityGroup
    | UnitGroup[CountRow]
    | UnitGroup[ReferralRow]
)


class Report(Figure):
    """Every published table (Tablas 10-18) for the same years and team."""

    from_: int | None = Field(alias="from")
    to: int | None
    team: str | None
    tables: list[PublishedTable]


# The OpenAPI document's shapes (response_model): general, so each figure above is one of them.

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
