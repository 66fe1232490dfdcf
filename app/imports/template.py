"""The import template: the documented columns with one example row (fictitious, its ids
marked with EXAMPLE_ID_PREFIX so that an import refuses it)."""

from __future__ import annotations

from typing import Literal

from app.imports.export import Table, to_csv, to_xlsx
from app.imports.layout import (
    DETECTION_COLUMNS,
    DETECTIONS_SHEET,
    EXAMPLE_ID_PREFIX,
    VICTIM_COLUMNS,
    VICTIMS_SHEET,
)

EXAMPLE_VICTIM = {
    "case_external_id": f"{EXAMPLE_ID_PREFIX}CASO-1",
    "team": "lima",
    "opened_on": "2024-03-12",
    "status": "open",
    "victim_external_id": f"{EXAMPLE_ID_PREFIX}VICTIMA-1",
    "intake_on": "2024-03",
    "sex": "Femenino",
    "age_range": "11-17",
    "nationality": "VE",
    "typology": "trafficking",
    "trafficking_purpose": "con fines de explotación sexual",
    "capture_modality": "false_job_offer",
    "trafficker_relation": "acquaintance",
    "education_level": "secondary",
    "disability": "no",
    "migration_status": "irregular",
    "violence_psychological": "sí",
    "violence_sexual": "Se desconoce",
    "violence_physical": "no",
    "route": "capture:VE;transit:PE-24;exploitation:PE-15",
}
EXAMPLE_DETECTION = {
    "detection_external_id": f"{EXAMPLE_ID_PREFIX}DETECCION-1",
    "case_external_id": f"{EXAMPLE_ID_PREFIX}CASO-1",
    "detected_on": "2024-04-02",
    "polarity": "bad",
    "category": "Aspectos procedimentales",
    "institution": "pnp",
    "stage": "complaint",
}
HELP_HEADERS = ["hoja", "columna", "obligatoria", "descripción"]


def template_tables() -> tuple[Table, Table, Table]:
    victims = Table(
        VICTIMS_SHEET,
        [c.name for c in VICTIM_COLUMNS],
        [[EXAMPLE_VICTIM.get(c.name, "") for c in VICTIM_COLUMNS]],
    )
    detections = Table(
        DETECTIONS_SHEET,
        [c.name for c in DETECTION_COLUMNS],
        [[EXAMPLE_DETECTION.get(c.name, "") for c in DETECTION_COLUMNS]],
    )
    rows = [
        [sheet, c.name, "sí" if c.required else "no", c.help]
        for sheet, cols in ((VICTIMS_SHEET, VICTIM_COLUMNS), (DETECTIONS_SHEET, DETECTION_COLUMNS))
        for c in cols
    ]
    return victims, detections, Table("ayuda", HELP_HEADERS, rows)


def build_template(fmt: Literal["csv", "xlsx"], part: str = "victims") -> bytes:
    """XLSX: both sheets plus a help sheet. CSV: the victims file, or `part=detections`."""
    victims, detections, help_sheet = template_tables()
    if fmt == "xlsx":
        return to_xlsx(victims, detections, help_sheet)
    return to_csv(detections if part == "detections" else victims)
