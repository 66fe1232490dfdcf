"""The documented spreadsheet layout (docs/import-format.md): columns of both sheets.

Headers are the API's English field names, so a file exported in the calp shape reads back
as it is. Cells take catalog codes or their Spanish labels (case- and accent-insensitive).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "date", "age", "age_range", "bool", "catalog", "country", "route", "ignored"]
Group = Literal["case", "victim", "identity", "detection", "info"]

VICTIMS_SHEET = "victimas"
DETECTIONS_SHEET = "detecciones"
DETECTIONS_SUFFIX = ".detections.csv"
MAX_TEXT = 100  # external ids are VARCHAR(100)
# The template's example rows carry ids with this prefix, and an import refuses them: a
# template filled below its example must not count a fictitious case in the tables.
EXAMPLE_ID_PREFIX = "EJEMPLO-"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    group: Group
    catalog: str | None = None
    required: bool = False
    help: str = ""  # Spanish, shown in the template's second row and in the docs


def _c(
    name: str,
    kind: Kind,
    group: Group,
    help: str,
    catalog: str | None = None,
    required: bool = False,
) -> Column:
    return Column(name, kind, group, catalog, required, help)


VIOLENCE_TYPES = ("psychological", "sexual", "physical", "family", "economic")

VICTIM_COLUMNS: tuple[Column, ...] = (
    _c(
        "case_external_id",
        "text",
        "case",
        "Identificador del caso en el sistema de origen",
        required=True,
    ),
    _c("case_code", "ignored", "info", "Código CALP del caso (solo informativo; se genera)"),
    _c("team", "catalog", "case", "Equipo", "team", required=True),
    _c(
        "opened_by_team",
        "catalog",
        "case",
        "Equipo que abrió el caso, si luego fue trasladado (vacío: el mismo equipo)",
        "team",
    ),
    _c("opened_on", "date", "case", "Fecha de apertura (AAAA-MM-DD o AAAA-MM)", required=True),
    _c("status", "catalog", "case", "Estado del caso (vacío: abierto)", "case_status"),
    _c("closed_on", "date", "case", "Fecha de cierre (solo casos cerrados)"),
    _c("close_reason", "catalog", "case", "Motivo de cierre (solo casos cerrados)", "close_reason"),
    _c("referred_by", "catalog", "case", "Institución que derivó el caso", "institution"),
    _c(
        "victim_external_id",
        "text",
        "victim",
        "Identificador de la víctima en el sistema de origen",
        required=True,
    ),
    _c("victim_code", "ignored", "info", "Código CALP de la víctima (solo informativo)"),
    _c("intake_on", "date", "victim", "Fecha de ingreso (AAAA-MM-DD o AAAA-MM)", required=True),
    _c("sex", "catalog", "victim", "Sexo", "sex", required=True),
    _c("age_at_intake", "age", "victim", "Edad al ingreso (o rango etario, o fecha de nac.)"),
    _c("age_range", "age_range", "victim", "Rango etario (si no se conoce la edad)", "age_range"),
    _c(
        "nationality",
        "country",
        "victim",
        "Nacionalidad (código ISO o nombre del país)",
        required=True,
    ),
    _c("typology", "catalog", "victim", "Tipificación", "typology", required=True),
    _c(
        "trafficking_purpose",
        "catalog",
        "victim",
        "Finalidad (solo trata de personas)",
        "trafficking_purpose",
    ),
    _c("capture_modality", "catalog", "victim", "Modalidad de captación", "capture_modality"),
    _c(
        "trafficker_relation",
        "catalog",
        "victim",
        "Relación con el tratante",
        "trafficker_relation",
    ),
    _c("education_level", "catalog", "victim", "Nivel educativo", "education_level"),
    _c("disability", "bool", "victim", "Discapacidad (sí / no / vacío)"),
    _c("indigenous_language", "catalog", "victim", "Lengua originaria", "indigenous_language"),
    _c("migration_status", "catalog", "victim", "Situación migratoria", "migration_status"),
    *(
        _c(
            f"violence_{v}",
            "catalog",
            "victim",
            f"Antecedente de violencia: {label}",
            "violence_answer",
        )
        for v, label in zip(
            VIOLENCE_TYPES,
            ("psicológica", "sexual", "física", "familiar", "económica"),
            strict=True,
        )
    ),
    _c(
        "route",
        "route",
        "victim",
        "Ruta: etapa:lugar separados por ';' (p. ej. capture:PE-16;exploitation:PE-17)",
    ),
    _c("given_names", "text", "identity", "Nombres (identidad, opcional)"),
    _c("family_names", "text", "identity", "Apellidos (identidad, opcional)"),
    _c("document_type", "catalog", "identity", "Tipo de documento (opcional)", "document_type"),
    _c("document_number", "text", "identity", "Número de documento (opcional)"),
    _c("phone", "text", "identity", "Teléfono (opcional)"),
    _c("address", "text", "identity", "Dirección (opcional)"),
    _c("birth_date", "date", "identity", "Fecha de nacimiento (opcional)"),
)

DETECTION_COLUMNS: tuple[Column, ...] = (
    _c(
        "detection_external_id",
        "text",
        "detection",
        "Identificador de la detección en el sistema de origen",
        required=True,
    ),
    _c(
        "case_external_id",
        "text",
        "detection",
        "Identificador del caso (en la hoja de víctimas o ya importado)",
        required=True,
    ),
    _c("case_code", "ignored", "info", "Código CALP del caso (solo informativo)"),
    _c("detected_on", "date", "detection", "Fecha (AAAA-MM-DD o AAAA-MM)", required=True),
    _c("polarity", "catalog", "detection", "Buena o mala práctica", "polarity", required=True),
    _c("category", "catalog", "detection", "Categoría", "practice_category", required=True),
    _c("institution", "catalog", "detection", "Institución", "institution", required=True),
    _c("stage", "catalog", "detection", "Etapa de la atención", "attention_stage"),
    _c("description", "text", "detection", "Descripción (texto libre, se cifra)"),
)

VICTIM_BY_NAME = {c.name: c for c in VICTIM_COLUMNS}
DETECTION_BY_NAME = {c.name: c for c in DETECTION_COLUMNS}
IDENTITY_FIELDS = tuple(c.name for c in VICTIM_COLUMNS if c.group == "identity")
CASE_FIELDS = tuple(c.name for c in VICTIM_COLUMNS if c.group == "case")

# The representative age stored when a row gives only a range: its lower bound, so the
# age-range statistics (Tabla 12) come out exactly as the range says.
AGE_RANGE_REPRESENTATIVE = {"0_10": 0, "11_17": 11, "18_25": 18, "26_39": 26, "40_plus": 40}
