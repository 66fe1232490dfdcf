"""CSV and XLSX of each table, read back with csv and openpyxl, hold the JSON's numbers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from app.statistics.formats import row_values, value_headers
from app.statistics.schemas import Report
from tests.statistics.models import model_of

PERIOD = {"from": 2023, "to": 2025}
ENDPOINTS = [
    ("cases-by-team", {}),
    ("cases-by-year", {}),
    ("victim-profile", {}),
    ("typology", {}),
    ("trafficking-purpose", {}),
    ("capture-modality", {}),
    ("violence-history", {}),
    ("practices", {"polarity": "good"}),
    ("practices", {"polarity": "bad"}),
    ("data-quality", {}),
    ("outcomes", {}),
]


def _get(demo_db, path, fmt, params):
    resp = demo_db.client.get(f"/api/v1/stats/{path}", params={**PERIOD, **params, "format": fmt})
    assert resp.status_code == 200, resp.text
    return resp


def _figures(demo_db, path, params):
    """The JSON body, read back into its model."""
    return model_of(path, params).model_validate_json(_get(demo_db, path, "json", params).content)


def _json_cells(table):
    """(group name, row key) -> the row's numbers, from the JSON."""
    return {(g.name, r.key): row_values(table, r) for g in table.groups for r in g.rows}


@pytest.mark.parametrize(("path", "params"), ENDPOINTS)
def test_csv_holds_the_json_numbers(demo_db, path, params):
    table = _figures(demo_db, path, params)
    resp = _get(demo_db, path, "csv", params)
    assert resp.headers["content-type"].startswith("text/csv")
    assert resp.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    assert b"\r\n" in resp.content
    lines = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert lines[0] == ["Grupo", "Código", "Categoría", *value_headers(table)]
    got = {
        (line[0], line[1]): [float(v) if "." in v else int(v) for v in line[3:]]
        for line in lines[1:]
    }
    assert len(lines) - 1 == len(got)  # one line per table row
    assert got == _json_cells(table)


def _sheet_cells(ws, table):
    """Group label -> {row label: numbers} read from a sheet laid out by groups."""
    headers = value_headers(table)
    out: dict[str, dict[str, list]] = {}
    current = None
    for row in ws.iter_rows(values_only=True):
        cells = list(row)
        if cells[1 : 1 + len(headers)] == headers:
            current = out.setdefault(cells[0], {})
        elif current is not None and cells[0] not in (None, "Total", "Sin información"):
            current[cells[0]] = cells[1 : 1 + len(headers)]
        elif cells[0] == "Total":
            current = None
    return out


@pytest.mark.parametrize(("path", "params"), ENDPOINTS)
def test_xlsx_holds_the_json_numbers_as_numbers(demo_db, path, params):
    table = _figures(demo_db, path, params)
    wb = openpyxl.load_workbook(io.BytesIO(_get(demo_db, path, "xlsx", params).content))
    assert len(wb.sheetnames) == 1
    got = _sheet_cells(wb.worksheets[0], table)
    expected = {g.label: {r.label: row_values(table, r) for r in g.rows} for g in table.groups}
    assert got == expected
    for rows in got.values():
        for values in rows.values():
            assert all(isinstance(v, int | float) for v in values)


def test_report_xlsx_is_one_workbook_with_a_sheet_per_table(demo_db):
    report = _figures(demo_db, "report", {})
    assert isinstance(report, Report)
    wb = openpyxl.load_workbook(io.BytesIO(_get(demo_db, "report", "xlsx", {}).content))
    assert wb.sheetnames == [f"Tabla {n}" for n in range(10, 19)]
    for table, ws in zip(report.tables, wb.worksheets, strict=True):
        assert ws["A1"].value.startswith(f"Tabla {table.table} — ")
        got = _sheet_cells(ws, table)
        assert got == {
            g.label: {r.label: row_values(table, r) for r in g.rows} for g in table.groups
        }


def test_report_csv_long_format_holds_every_number(demo_db):
    report = _figures(demo_db, "report", {})
    assert isinstance(report, Report)
    resp = _get(demo_db, "report", "csv", {})
    lines = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert lines[0] == ["Tabla", "Grupo", "Código", "Categoría", "Medida", "Valor"]
    got = {(t, g, k, m): v for t, g, k, _, m, v in lines[1:]}
    for table in report.tables:
        headers = value_headers(table)
        for group in table.groups:
            for row in group.rows:
                for header, value in zip(headers, row_values(table, row), strict=True):
                    assert got[(table.table, group.name, row.key, header)] == str(value)


def test_html_is_a_printable_spanish_page(demo_db):
    resp = _get(demo_db, "violence-history", "html", {})
    assert resp.headers["content-type"].startswith("text/html")
    page = resp.text
    assert page.startswith('<!doctype html><html lang="es">')
    assert "Tabla 16 — Antecedentes de violencia" in page
    assert "<td>19,92</td>" in page and "<td>147</td>" in page
    assert "<script" not in page and "style=" not in page
    report = _get(demo_db, "report", "html", {}).text
    assert all(f'id="tabla-{n}"' in report for n in range(10, 19))
    assert "<td>TIC</td>" not in report and '<th scope="row">TIC</th>' in report
