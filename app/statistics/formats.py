"""Renderings of a statistics table: CSV (RFC 4180, BOM), XLSX (openpyxl) and printable HTML.

Each works on the figures the service returns (`app.statistics.schemas`), the same the JSON
body is dumped from, so every format holds the same numbers. Three row kinds exist:
`cases`/`victims` (Tablas 10-11), `count`/`percent` (most tables) and `counts`/`percents`
keyed by the table's `columns` (Tabla 16, data quality).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from app.catalogs import LABELS
from app.formats import spanish_number
from app.statistics.schemas import (
    AnswerRow,
    AnyGroup,
    AnyRow,
    AnyTable,
    CasesVictims,
    CasesVictimsRow,
    Column,
    DataQualityTable,
    QualityRow,
    Report,
    UnitGroup,
    ViolenceTable,
)
from app.statistics.tables import UNIT_LABELS

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML_MEDIA_TYPE = "text/html; charset=utf-8"
PERCENT_FORMAT = "0.00"
Number = int | float


def _row_kind(table: AnyTable) -> str:
    for group in table.groups:
        for row in group.rows:
            if isinstance(row, CasesVictimsRow):
                return "cv"
            return "keyed" if isinstance(row, (AnswerRow, QualityRow)) else "count"
    return "keyed" if _columns(table) else "count"


def _columns(table: AnyTable) -> list[Column]:
    return table.columns if isinstance(table, (ViolenceTable, DataQualityTable)) else []


def _unit_header(table: AnyTable) -> str:
    units = {g.unit if isinstance(g, UnitGroup) else table.unit for g in table.groups}
    if len(units) == 1:
        label = UNIT_LABELS.get(units.pop(), "cantidad")
        return label[:1].upper() + label[1:]
    return "Cantidad"


def value_headers(table: AnyTable) -> list[str]:
    """Headers of the numeric columns, in order."""
    kind = _row_kind(table)
    if kind == "cv":
        return ["Casos", "Víctimas"]
    if kind == "keyed":
        headers = ["Total"] if _has_row_totals(table) else []
        for col in _columns(table):
            headers += [col.label, f"% {col.label}"]
        return headers
    return [_unit_header(table), "%"]


def _has_row_totals(table: AnyTable) -> bool:
    return any(isinstance(row, QualityRow) for g in table.groups for row in g.rows)


def row_values(table: AnyTable, row: AnyRow) -> list[Number]:
    """The numbers of one row, in the order of `value_headers`."""
    if isinstance(row, CasesVictimsRow):
        return [row.cases, row.victims]
    if isinstance(row, (AnswerRow, QualityRow)):
        values: list[Number] = [row.total] if isinstance(row, QualityRow) else []
        for col in _columns(table):
            values += [row.counts[col.key], row.percents[col.key]]
        return values
    return [row.count, row.percent]


def _csv_text(rows: Iterator[list[str | Number]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180: CRLF, comma, quoting
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()  # the BOM makes spreadsheet programs read UTF-8


def _number(value: Number) -> str | int:
    # Dot decimal whatever the locale; integers stay integers.
    return repr(value) if isinstance(value, float) else value


def table_csv(table: AnyTable) -> str:
    """One table as CSV: a header line, then one line per table row, group name first."""

    def lines() -> Iterator[list[str | Number]]:
        yield ["Grupo", "Código", "Categoría", *value_headers(table)]
        for group in table.groups:
            for row in group.rows:
                values = (_number(v) for v in row_values(table, row))
                yield [group.name, row.key, row.label, *values]

    return _csv_text(lines())


def report_csv(report: Report) -> str:
    """Every table in one CSV, long format: one line per (row, measure)."""

    def lines() -> Iterator[list[str | Number]]:
        yield ["Tabla", "Grupo", "Código", "Categoría", "Medida", "Valor"]
        for table in report.tables:
            headers = value_headers(table)
            for group in table.groups:
                for row in group.rows:
                    for header, value in zip(headers, row_values(table, row), strict=True):
                        yield [table.table, group.name, row.key, row.label, header, _number(value)]

    return _csv_text(lines())


def _period(table: AnyTable) -> str:
    if table.from_ is None:
        return "Periodo: sin datos"
    team = LABELS["team"].get(str(table.team), "todos los equipos")
    return f"Periodo: {table.from_}–{table.to} · Equipo: {team}"


def sheet_title(table: AnyTable) -> str:
    number = table.table
    return f"Tabla {number}" if number.isdigit() else (table.sheet or number)[:31]


def heading(table: AnyTable) -> str:
    number = table.table
    return f"Tabla {number} — {table.title}" if number.isdigit() else table.title


def _group_total(group: AnyGroup) -> list[str | Number]:
    total = group.total
    if isinstance(total, CasesVictims):
        return ["Total", total.cases, total.victims]
    return ["Total", total]


def _fill_sheet(ws: Worksheet, table: AnyTable) -> None:
    from openpyxl.styles import Font

    ws.append([heading(table)])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([_period(table)])
    ws.append([f"Unidad: {table.unit_label} · Denominador: {table.denominator_label}"])
    headers = value_headers(table)
    for group in table.groups:
        ws.append([])
        ws.append([group.label, *headers])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for row in group.rows:
            ws.append([row.label, *row_values(table, row)])
            for cell, header in zip(ws[ws.max_row][1:], headers, strict=True):
                if header.startswith("%"):
                    cell.number_format = PERCENT_FORMAT
        ws.append(_group_total(group))
        ws[ws.max_row][0].font = Font(bold=True)
        if group.not_recorded:
            ws.append(["Sin información", group.not_recorded])
    ws.column_dimensions["A"].width = 60


def workbook_bytes(tables: Sequence[AnyTable]) -> bytes:
    """A workbook with one sheet per table (numbers stored as numbers)."""
    # Imported here: openpyxl brings numpy, ~20 MB in every worker that never exports.
    from openpyxl import Workbook

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)  # the default, empty sheet
    for table in tables:
        _fill_sheet(wb.create_sheet(sheet_title(table)), table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_html(table: AnyTable) -> Markup:
    """A printable, style-free fragment: one <table> per group, caption and notes."""
    headers = value_headers(table)
    parts = [
        f'<section class="stats-table" id="tabla-{escape(table.table)}">',
        f"<h2>{escape(heading(table))}</h2>",
        f'<p class="stats-meta">{escape(_period(table))}. Unidad: '
        f"{escape(table.unit_label)}; denominador: {escape(table.denominator_label)}.</p>",
    ]
    for group in table.groups:
        parts.append(
            f"<table><caption>{escape(group.label)}</caption><thead><tr>"
            f'<th scope="col">{escape(group.label)}</th>'
            + "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
            + "</tr></thead><tbody>"
        )
        for row in group.rows:
            parts.append(
                f'<tr><th scope="row">{escape(row.label)}</th>'
                + "".join(f"<td>{escape(spanish_number(v))}</td>" for v in row_values(table, row))
                + "</tr>"
            )
        parts.append(
            "</tbody><tfoot><tr>"
            + "".join(
                f"<td>{escape(spanish_number(v))}</td>"
                if i
                else f'<th scope="row">{escape(v)}</th>'
                for i, v in enumerate(_group_total(group))
            )
            + "</tr></tfoot></table>"
        )
        if group.not_recorded:
            parts.append(f'<p class="stats-note">Sin información: {group.not_recorded}.</p>')
    parts.append("</section>")
    return Markup("".join(parts))


def page_html(tables: Sequence[AnyTable], title: str) -> str:
    """A complete printable page (no scripts, no inline styles: the CSP allows neither)."""
    body = "".join(table_html(t) for t in tables)
    return (
        f'<!doctype html><html lang="es"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1>"
        f"{body}</body></html>"
    )
