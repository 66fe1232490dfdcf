"""Reading CSV and XLSX sheets as streams within the import limits, and turning cells into
values (codes or labels, dates or year-months, ages or age ranges). Problems are Spanish
sentences for the report; they never echo the cell (a name typed into the wrong column must
not travel into a report or a log)."""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from app.catalogs import LABELS
from app.countries import country_aliases, country_names
from app.imports.encoding import Encoding, choose_encoding
from app.imports.layout import DETECTIONS_SHEET, DETECTIONS_SUFFIX, VICTIMS_SHEET
from app.imports.limits import Budget, FileUnreadable, ImportLimits, LimitExceeded, check_zip
from app.imports.neutralise import FORMULA_START

# A CALP row is under a kilobyte; a line far longer is not a spreadsheet's.
MAX_LINE_CHARS = 1 << 20


class CellError(ValueError):
    """A cell that cannot be read; the message is the Spanish reason for the report."""


@dataclass
class Sheet:
    """One sheet: its headers and its rows as (line, {header: text}); line 1 is the header.

    `encoding` is how a CSV was decoded (None for an XLSX sheet), for the dry run's report.
    """

    name: str
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    encoding: Encoding | None = None


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


def _sheet_from_rows(
    name: str, rows: Iterator[list[Any] | tuple[Any, ...]], budget: Budget
) -> Sheet:
    sheet = Sheet(name)
    header = next(rows, None)
    if header is None:
        return sheet
    budget.add_line(len(header))
    sheet.headers = [norm(_cell_text(h)).replace(" ", "_") for h in header]
    width = len(sheet.headers)
    for line, raw in enumerate(rows, start=2):
        budget.add_line(len(raw))  # before reading the cells: a huge row is refused unread
        cells = [_cell_text(v) for v in raw]
        if not any(cells):
            continue  # blank lines are not rows (spreadsheets keep many at the end)
        budget.add_row()
        # Only filled cells: a 100,000-row file is mostly empty optional columns.
        values = {h: c for h, c in zip(sheet.headers, cells, strict=False) if c}
        if len(cells) > width and any(cells[width:]):
            values["__extra__"] = "1"
        sheet.rows.append((line, values))
    return sheet


def _text_lines(text: IO[str]) -> Iterator[str]:
    # readline with a bound: a file without line breaks is refused, never held whole.
    while line := text.readline(MAX_LINE_CHARS):
        if len(line) == MAX_LINE_CHARS and line[-1] not in "\r\n":
            raise LimitExceeded(f"{MAX_LINE_CHARS // 2**20} MB por línea")
        yield line


def read_csv(stream: IO[bytes], name: str, budget: Budget, declared: str | None = None) -> Sheet:
    """A CSV in UTF-8 (with or without BOM), or in a declared or clearly detected Latin-1 /
    Windows-1252 (app.imports.encoding), comma- or semicolon-separated, read as a stream."""
    encoding = choose_encoding(stream, declared, budget)
    text = io.TextIOWrapper(stream, encoding=encoding.codec, newline="")
    try:
        lines = _text_lines(text)
        first = next(lines, "")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        sheet = _sheet_from_rows(name, reader, budget)
    except csv.Error as exc:
        raise FileUnreadable(f"el CSV no se puede leer ({exc})") from exc
    except UnicodeDecodeError as exc:  # the scan said it decodes; kept for a changing file
        raise FileUnreadable(f"el archivo no es texto {encoding.name} válido") from exc
    finally:
        text.detach()  # the caller owns the stream
    sheet.encoding = encoding
    return sheet


def read_xlsx(stream: IO[bytes], budget: Budget) -> tuple[Sheet, Sheet | None]:
    """The victims sheet ("victimas", else the first) and the "detecciones" sheet if any."""
    from openpyxl import load_workbook

    check_zip(stream, budget)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a non-XLSX file
        raise FileUnreadable("el archivo no es un libro XLSX válido") from exc
    try:
        names = {norm(n): n for n in book.sheetnames}
        victims_name = names.get(VICTIMS_SHEET) or next(
            (n for n in book.sheetnames if norm(n) != DETECTIONS_SHEET), book.sheetnames[0]
        )
        victims = _sheet_from_rows(VICTIMS_SHEET, _rows(book[victims_name]), budget)
        det_name = names.get(DETECTIONS_SHEET)
        detections = (
            _sheet_from_rows(DETECTIONS_SHEET, _rows(book[det_name]), budget) if det_name else None
        )
    finally:
        book.close()
    return victims, detections


def _rows(sheet: Any) -> Iterator[tuple[Any, ...]]:
    # The sheet's declared dimension would pad every row to its width (a hostile file
    # declares A1:XFD1048576); without it a row is as wide as its last cell.
    sheet.reset_dimensions()
    return iter(sheet.iter_rows(values_only=True))


Source = bytes | IO[bytes]


def _stream(source: Source) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes) else source


def read_upload(
    filename: str,
    data: Source,
    detections: Source | None = None,
    *,
    limits: ImportLimits | None = None,
    encoding: str | None = None,
) -> tuple[Sheet, Sheet | None]:
    """Sheets of an uploaded file (format from its name, else from its first bytes), read
    within `limits` (both files together); `encoding` is the CSVs' declared encoding."""
    budget = Budget(limits or ImportLimits.default())
    stream = _stream(data)
    is_xlsx = filename.lower().endswith(".xlsx") or stream.read(2) == b"PK"
    stream.seek(0)
    if is_xlsx:
        return read_xlsx(stream, budget)
    victims_sheet = read_csv(stream, VICTIMS_SHEET, budget, encoding)
    det_sheet = (
        read_csv(_stream(detections), DETECTIONS_SHEET, budget, encoding) if detections else None
    )
    return victims_sheet, det_sheet


def read_path(
    path: Path, *, limits: ImportLimits | None = None, encoding: str | None = None
) -> tuple[Sheet, Sheet | None]:
    """Sheets of a file on disk; a CSV's detections come from `<stem>.detections.csv`."""
    det_path = path.with_name(path.stem + DETECTIONS_SUFFIX)
    with ExitStack() as files:
        data = files.enter_context(path.open("rb"))
        det = (
            files.enter_context(det_path.open("rb"))
            if path.suffix.lower() == ".csv" and det_path.exists()
            else None
        )
        return read_upload(path.name, data, det, limits=limits, encoding=encoding)


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
        raise CellError(f"no es un valor admitido; use uno de: {_allowed(catalog)}")
    return code


def shown_value(text: str, limit: int = 40) -> str:
    """A bad cell as the message quotes it back to the person importing the file (catalog,
    date and number cells only: never an identity or free-text column), cut short."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _allowed(catalog: str, limit: int = 8) -> str:
    labels = list(LABELS[catalog].values())
    more = ", …" if len(labels) > limit else ""
    return ", ".join(labels[:limit]) + more


@lru_cache
def _country_lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    names = [*country_aliases().items(), *((n, c) for c, n in country_names().items())]
    for name, code in names:
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
