"""Reading CSV and XLSX sheets, and turning cells into values (codes or labels, dates or
year-months, ages or age ranges). Problems are Spanish sentences for the report; they never
echo the cell (a name typed into the wrong column must not travel into a report or a log)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.catalogs import LABELS
from app.countries import country_names
from app.imports.layout import DETECTIONS_SHEET, DETECTIONS_SUFFIX, VICTIMS_SHEET
from app.imports.neutralise import FORMULA_START


class CellError(ValueError):
    """A cell that cannot be read; the message is the Spanish reason for the report."""


class FileUnreadable(ValueError):
    """The file is not a CSV or XLSX we can read (Spanish message)."""


@dataclass
class Sheet:
    """One sheet: its headers and its rows as (line, {header: text}); line 1 is the header."""

    name: str
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Case-, accent- and spacing-insensitive form used to match codes and labels."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain)


def unneutralise(text: str) -> str:
    """Undo the export's formula guard: a quote before = + - @ tab CR goes away."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unneutralise(str(value).strip())


def _sheet_from_rows(name: str, rows: Iterator[list[Any] | tuple[Any, ...]]) -> Sheet:
    sheet = Sheet(name)
    header = next(rows, None)
    if header is None:
        return sheet
    sheet.headers = [norm(_cell_text(h)).replace(" ", "_") for h in header]
    width = len(sheet.headers)
    for line, raw in enumerate(rows, start=2):
        cells = [_cell_text(v) for v in raw]
        if not any(cells):
            continue  # blank lines are not rows (spreadsheets keep many at the end)
        # Only filled cells: a 100,000-row file is mostly empty optional columns.
        values = {h: c for h, c in zip(sheet.headers, cells, strict=False) if c}
        if len(cells) > width and any(cells[width:]):
            values["__extra__"] = "1"
        sheet.rows.append((line, values))
    return sheet


def read_csv_bytes(data: bytes, name: str) -> Sheet:
    """A CSV in UTF-8 (with or without BOM) or Latin-1, comma- or semicolon-separated."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # older Excel saves CSV in the Windows code page
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return _sheet_from_rows(
            name, iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        )
    except csv.Error as exc:
        raise FileUnreadable(f"el CSV no se puede leer ({exc})") from exc


def read_xlsx_bytes(data: bytes) -> tuple[Sheet, Sheet | None]:
    """The victims sheet ("victimas", else the first) and the "detecciones" sheet if any."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a non-XLSX file
        raise FileUnreadable("el archivo no es un libro XLSX válido") from exc
    try:
        names = {norm(n): n for n in book.sheetnames}
        victims_name = names.get(VICTIMS_SHEET) or next(
            (n for n in book.sheetnames if norm(n) != DETECTIONS_SHEET), book.sheetnames[0]
        )
        victims = _sheet_from_rows(VICTIMS_SHEET, book[victims_name].iter_rows(values_only=True))
        det_name = names.get(DETECTIONS_SHEET)
        detections = (
            _sheet_from_rows(DETECTIONS_SHEET, book[det_name].iter_rows(values_only=True))
            if det_name
            else None
        )
    finally:
        book.close()
    return victims, detections


def read_upload(
    filename: str, data: bytes, detections: bytes | None = None
) -> tuple[Sheet, Sheet | None]:
    """Sheets of an uploaded file (format from its name, else from its first bytes)."""
    is_xlsx = filename.lower().endswith(".xlsx") or data[:2] == b"PK"
    if is_xlsx:
        victims, det = read_xlsx_bytes(data)
        return victims, det
    victims_sheet = read_csv_bytes(data, VICTIMS_SHEET)
    det_sheet = read_csv_bytes(detections, DETECTIONS_SHEET) if detections else None
    return victims_sheet, det_sheet


def read_path(path: Path) -> tuple[Sheet, Sheet | None]:
    """Sheets of a file on disk; a CSV's detections come from `<stem>.detections.csv`."""
    data = path.read_bytes()
    det_path = path.with_name(path.stem + DETECTIONS_SUFFIX)
    det = det_path.read_bytes() if path.suffix.lower() == ".csv" and det_path.exists() else None
    return read_upload(path.name, data, det)


# ---- cell values


@lru_cache
def _catalog_lookup(catalog: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, text in LABELS[catalog].items():
        table[norm(text)] = code
        if catalog == "trafficking_purpose":  # "explotación sexual" without "con fines de"
            table[norm(text.removeprefix("con fines de "))] = code
    for code in LABELS[catalog]:
        table[norm(code)] = code  # codes win over a label that happens to match another code
    if catalog == "age_range":
        table.update({norm(t.replace("-", " a ")): c for c, t in LABELS[catalog].items()})
        table["40 o mas"] = "40_plus"
    if catalog == "violence_answer":
        table["si"] = "yes"
    return table


def parse_catalog(catalog: str, text: str) -> str:
    table = _catalog_lookup(catalog)
    code = table.get(text) or table.get(norm(text))  # most cells are already codes
    if code is None:
        raise CellError(f"valor fuera del catálogo {catalog}")
    return code


@lru_cache
def _country_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, name in country_names().items():
        # "Venezuela, República Bolivariana de" is written "Venezuela" in every spreadsheet.
        table.setdefault(norm(name.split(",")[0].split(" (")[0]), code)
        table[norm(name)] = code
    table.update({norm(code): code for code in country_names()})
    return table


def parse_country(text: str) -> str:
    code = _country_lookup().get(norm(text))
    if code is None:
        raise CellError("no es un país ISO 3166 (p. ej. PE, VE)")
    return code


_DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("y", "m")),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), ("m", "y")),
)


def parse_date(text: str) -> date:
    """AAAA-MM-DD, DD/MM/AAAA, or only a year-month (AAAA-MM, MM/AAAA): its first day."""
    value = text.strip()
    if "T" in value or " " in value:  # a spreadsheet datetime: the date part
        value = re.split(r"[T ]", value, maxsplit=1)[0]
    for pattern, order in _DATE_FORMATS:
        match = pattern.match(value)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts.get("d", 1))
            except ValueError:
                break
    raise CellError("no es una fecha (AAAA-MM-DD, DD/MM/AAAA o AAAA-MM)")


def parse_age(text: str) -> int:
    try:
        age = int(text.strip())
    except ValueError:
        raise CellError("no es una edad en años") from None
    if not 0 <= age <= 120:
        raise CellError("la edad debe estar entre 0 y 120")
    return age


def parse_bool(text: str) -> bool:
    value = norm(text)
    if value in ("si", "s", "yes", "true", "verdadero", "1", "x"):
        return True
    if value in ("no", "n", "false", "falso", "0"):
        return False
    raise CellError("debe ser sí o no")
