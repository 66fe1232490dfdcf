"""Request and response bodies of imports and exports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.victims.schemas import PossibleDuplicate


class ExportCreate(BaseModel):
    """What to export and why (the reason is audited as a hash, never as text)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "Informe alternativo 2026", "format": "xlsx", "shape": "calp"}]
        },
    )

    reason: str = Field(min_length=3, max_length=500)
    format: Literal["csv", "xlsx"] = "xlsx"
    shape: Literal["calp", "htcds"] = "calp"


class ImportCreated(BaseModel):
    cases: int
    victims: int
    detections: int


class SkippedRow(BaseModel):
    sheet: str
    line: int
    message: str


class ImportDuplicates(BaseModel):
    """A row of the file whose person likely exists already (see victim registration)."""

    line: int
    duplicates: list[PossibleDuplicate]


class ImportReportRead(BaseModel):
    """The outcome of a good file: what was (or, on a dry run, would be) imported."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dry_run": False,
                    "rows": 3,
                    "detection_rows": 1,
                    "created": {"cases": 2, "victims": 2, "detections": 1},
                    "reused_cases": 0,
                    "skipped": [
                        {"sheet": "victimas", "line": 4, "message": "ya importada: se omite"}
                    ],
                    "possible_duplicates": [
                        {"line": 2, "duplicates": [{"case_code": "CUS-2023-0007", "team": "cusco"}]}
                    ],
                }
            ]
        }
    )

    dry_run: bool
    rows: int
    detection_rows: int
    created: ImportCreated
    reused_cases: int
    skipped: list[SkippedRow]
    possible_duplicates: list[ImportDuplicates] = Field(default_factory=list)


class ImportProblem(BaseModel):
    sheet: str
    line: int
    column: str
    message: str


class ImportRejectedBody(BaseModel):
    """A file with any bad row: nothing imported, every problem listed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": "validation_error",
                    "code": "import_rows_invalid",
                    "detail": [
                        {
                            "sheet": "victimas",
                            "line": 7,
                            "column": "sex",
                            "message": "valor fuera del catálogo sex",
                        }
                    ],
                }
            ]
        }
    )

    error: Literal["validation_error"]
    code: Literal["import_rows_invalid"]
    detail: list[ImportProblem]
