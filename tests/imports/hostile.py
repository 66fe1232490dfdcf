"""Hostile import files built in the test: a zip bomb XLSX, big or malformed CSVs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from app.imports.limits import ImportLimits
from tests.imports.builders import VICTIM_HEADERS, xlsx_bytes

SHEET = "xl/worksheets/sheet1.xml"
ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'


def limits(**overrides: float) -> ImportLimits:
    """Low limits, so a test's hostile file stays small in memory and time."""
    values: dict[str, float] = {
        "max_bytes": 4 * 2**20,
        "max_ratio": 100,
        "max_rows": 1000,
        "max_cells": 100_000,
        "max_seconds": 30.0,
    }
    values.update(overrides)
    return ImportLimits(**values)  # type: ignore[arg-type]


def zip_bomb(inflated_mb: int = 40) -> bytes:
    """A valid workbook whose first sheet is `inflated_mb` MB of identical rows (a few KB
    compressed), written as a stream so the test never holds the inflated sheet."""
    template = zipfile.ZipFile(io.BytesIO(xlsx_bytes([])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in template.infolist():
            if member.filename != SHEET:
                bomb.writestr(member, template.read(member))
        with bomb.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas'
                b'.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            block = ROW * (2**20 // len(ROW))
            for _ in range(inflated_mb):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def blank_cells_csv(path: Path, megabytes: int) -> Path:
    """A CSV of the header and then lines of empty cells: costly to read, nothing to keep."""
    line = b"," * 30 + b"\r\n"
    block = line * (2**20 // len(line))
    with path.open("wb") as fh:
        fh.write(",".join(VICTIM_HEADERS).encode() + b"\r\n")
        for _ in range(megabytes):
            fh.write(block)
    return path
