"""Rows and files in the documented import layout, for the import and export tests."""

from __future__ import annotations

import csv
import io
from typing import Any

from app.imports.layout import DETECTION_COLUMNS, VICTIM_COLUMNS

VICTIM_HEADERS = [c.name for c in VICTIM_COLUMNS]
DETECTION_HEADERS = [c.name for c in DETECTION_COLUMNS]


def victim_row(n: int, *, case: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A good row: victim n of case `case` (default: its own case)."""
    row: dict[str, Any] = {
        "case_external_id": case or f"C{n}",
        "team": "lima",
        "opened_on": "2024-03-12",
        "status": "open",
        "victim_external_id": f"V{n}",
        "intake_on": "2024-03-15",
        "sex": "female",
        "age_at_intake": "16",
        "nationality": "PE",
        "typology": "trafficking",
        "trafficking_purpose": "sexual",
        "capture_modality": "false_job_offer",
        "violence_psychological": "yes",
        "route": "capture:PE-16;exploitation:PE-17",
    }
    row.update(overrides)
    return row


def detection_row(n: int, case: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "detection_external_id": f"D{n}",
        "case_external_id": case,
        "detected_on": "2024-04-02",
        "polarity": "bad",
        "category": "procedural",
        "institution": "pnp",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=headers or VICTIM_HEADERS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def detections_csv(rows: list[dict[str, Any]]) -> bytes:
    return csv_bytes(rows, DETECTION_HEADERS)


def xlsx_bytes(rows: list[dict[str, Any]], detections: list[dict[str, Any]] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "victimas"
    sheet.append(VICTIM_HEADERS)
    for row in rows:
        sheet.append([row.get(h) for h in VICTIM_HEADERS])
    if detections is not None:
        det = book.create_sheet("detecciones")
        det.append(DETECTION_HEADERS)
        for row in detections:
            det.append([row.get(h) for h in DETECTION_HEADERS])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
