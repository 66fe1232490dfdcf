"""Hostile import files are refused within bounded cost, and an encoding is never guessed.

Reader level (both paths share it), then the API and the web page with the settings' limits.
"""

from __future__ import annotations

import time
import tracemalloc

import pytest

from app.catalogs import Role, Team
from app.imports.limits import Budget, FileUnreadable, LimitExceeded
from app.imports.reader import read_path, read_upload
from tests.factories import make_user
from tests.imports.builders import VICTIM_HEADERS, csv_bytes, victim_row, xlsx_bytes
from tests.imports.hostile import limits, zip_bomb
from tests.web.helpers import csrf

HEADER = ",".join(VICTIM_HEADERS)


def _not_cp1252(data: bytes) -> bytes:
    """A Latin-1 file with a byte Windows-1252 does not define (a C1 control in Latin-1)."""
    return data.replace(b"Mu\xf1oz", b"Mu\xf1oz\x81")


def _csv(*given_names: str, encoding: str = "utf-8") -> bytes:
    rows = [
        victim_row(n, case=f"EN-C{n}", victim_external_id=f"EN-V{n}", given_names=name)
        for n, name in enumerate(given_names, start=1)
    ]
    return csv_bytes(rows).decode("utf-8").encode(encoding)


class TestZipBomb:
    def test_declared_inflated_size_over_the_limit_is_refused_before_inflating(self):
        bomb = zip_bomb(40)
        assert len(bomb) < 200_000  # 40 MB of sheet in well under 1 % of it
        tracemalloc.start()
        started = time.monotonic()
        try:
            with pytest.raises(LimitExceeded, match="4 MB sin comprimir"):
                read_upload("bomba.xlsx", bomb, limits=limits())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert time.monotonic() - started < 2 and peak < 8 * 2**20

    def test_inflation_ratio_over_the_limit_is_refused(self):
        with pytest.raises(LimitExceeded, match="compresión 100:1"):
            read_upload("bomba.xlsx", zip_bomb(8), limits=limits(max_bytes=64 * 2**20))

    def test_a_real_workbook_under_the_limits_reads(self):
        rows = [victim_row(n) for n in range(3)]
        victims, _ = read_upload("f.xlsx", xlsx_bytes(rows), limits=limits())
        assert len(victims.rows) == 3 and victims.encoding is None

    def test_rows_of_a_workbook_over_the_limit_are_refused(self):
        data = xlsx_bytes([victim_row(n) for n in range(6)])
        with pytest.raises(LimitExceeded, match="5 filas"):
            read_upload("f.xlsx", data, limits=limits(max_rows=5))


class TestCsvLimits:
    def test_rows_over_the_limit_are_refused(self):
        data = csv_bytes([victim_row(n) for n in range(6)])
        with pytest.raises(LimitExceeded, match="5 filas"):
            read_upload("f.csv", data, limits=limits(max_rows=5))
        victims, _ = read_upload("f.csv", data, limits=limits(max_rows=6))
        assert len(victims.rows) == 6

    def test_a_wide_row_is_refused_by_the_cell_limit(self):
        data = (HEADER + "\r\n" + "x," * 5000 + "\r\n").encode()
        with pytest.raises(LimitExceeded, match="1000 celdas"):
            read_upload("f.csv", data, limits=limits(max_cells=1000))

    def test_time_limit_stops_the_reading(self):
        budget = Budget(limits(max_seconds=0))
        time.sleep(0.01)
        with pytest.raises(LimitExceeded, match="0 segundos de lectura"):
            budget.check_time()

    @pytest.mark.parametrize(
        ("limit", "match"),
        [({"max_rows": 1000, "max_bytes": 2**30}, "1000 filas"), ({}, "4 MB sin comprimir")],
    )
    def test_refusing_a_large_csv_keeps_memory_far_below_its_size(self, tmp_path, limit, match):
        path = tmp_path / "grande.csv"
        line = csv_bytes([victim_row(1)]).split(b"\r\n", 1)[1]
        with path.open("wb") as fh:
            fh.write(HEADER.encode() + b"\r\n")
            for _ in range(40):
                fh.write(line * (2**20 // len(line)))
        size = path.stat().st_size
        tracemalloc.start()
        try:
            with pytest.raises(LimitExceeded, match=match):
                read_path(path, limits=limits(**limit))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert size > 40 * 2**20 - 2**16 and peak < size / 8


class TestEncoding:
    def test_utf8_with_and_without_bom_is_read_as_utf8(self):
        for data in (_csv("Muñoz"), b"\xef\xbb\xbf" + _csv("Muñoz")):
            victims, _ = read_upload("f.csv", data)
            assert victims.rows[0][1]["given_names"] == "Muñoz"
            assert victims.encoding is not None
            assert victims.encoding.describe() == "UTF-8 (detectada)"

    def test_a_stray_byte_in_utf8_is_refused_naming_its_line(self):
        data = _csv("Muñoz", "Ana", "Peña")
        lines = data.split(b"\r\n")
        lines[2] += b"\xff"  # line 3 of the file
        with pytest.raises(FileUnreadable, match="la línea 3 no es texto UTF-8 válido"):
            read_upload("f.csv", b"\r\n".join(lines))

    def test_a_whole_latin1_file_is_detected_as_windows_1252_and_reported(self):
        victims, _ = read_upload("f.csv", _csv("Muñoz", "Peña", encoding="latin-1"))
        assert [v["given_names"] for _, v in victims.rows] == ["Muñoz", "Peña"]
        assert victims.encoding is not None
        assert victims.encoding.describe() == "Windows-1252 (detectada)"

    def test_declared_latin1_is_used_and_reported(self):
        data = _not_cp1252(_csv("Muñoz", encoding="latin-1"))
        with pytest.raises(FileUnreadable, match="no es texto UTF-8 válido"):
            read_upload("f.csv", data)
        victims, _ = read_upload("f.csv", data, encoding="latin-1")
        assert victims.rows[0][1]["given_names"] == "Muñoz\x81"
        assert victims.encoding is not None
        assert victims.encoding.describe() == "Latin-1 (ISO-8859-1) (indicada)"

    def test_declared_utf8_refuses_latin1_and_unknown_names_are_refused(self):
        with pytest.raises(FileUnreadable, match="la línea 2 no es texto UTF-8"):
            read_upload("f.csv", _csv("Muñoz", encoding="latin-1"), encoding="utf-8")
        with pytest.raises(FileUnreadable, match="codificación no admitida"):
            read_upload("f.csv", _csv("Ana"), encoding="ebcdic-cp-be")


@pytest.fixture
def coordinator(db, login_as):
    return login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))


class TestApi:
    def test_zip_bomb_is_413_naming_the_limit(self, coordinator, settings, monkeypatch):
        monkeypatch.setattr(settings, "import_max_mb", 4)
        resp = coordinator.post("/api/v1/imports", files={"file": ("b.xlsx", zip_bomb(40))})
        assert resp.status_code == 413, resp.text
        body = resp.json()
        assert body["error"] == "too_large" and body["code"] == "import_limit_exceeded"
        assert "4 MB sin comprimir" in body["detail"]

    def test_csv_over_the_row_limit_is_413(self, coordinator, settings, monkeypatch):
        monkeypatch.setattr(settings, "import_max_rows", 2)
        data = csv_bytes([victim_row(n, case=f"RL-C{n}") for n in range(3)])
        resp = coordinator.post("/api/v1/imports", files={"file": ("f.csv", data)})
        assert resp.status_code == 413 and "2 filas" in resp.json()["detail"]

    def test_stray_byte_is_422_naming_the_line(self, coordinator):
        data = _csv("Muñoz", "Ana").replace(b"Ana", b"An\xe1")
        resp = coordinator.post("/api/v1/imports", files={"file": ("f.csv", data)})
        assert resp.status_code == 422, resp.text
        body = resp.json()
        assert body["code"] == "file_unreadable" and body["detail"][0]["loc"] == ["file"]
        assert "la línea 3 no es texto UTF-8 válido" in body["detail"][0]["msg"]

    def test_clear_latin1_is_imported(self, coordinator):
        data = _csv("Muñoz", encoding="latin-1")
        resp = coordinator.post(
            "/api/v1/imports", data={"dry_run": "true"}, files={"file": ("f.csv", data)}
        )
        assert resp.status_code == 200 and resp.json()["created"]["victims"] == 1


class TestWebPage:
    def _post(self, db, login_as, data, **form):
        client = login_as(make_user(db, role=Role.coordinator, teams=[Team.lima]))
        token = csrf(client, "/importar")
        return client.post(
            "/importar",
            data={"csrf_token": token, "dry_run": "true", **form},
            files={"file": ("f.csv", data, "text/csv")},
        )

    def test_limit_is_a_413_page_naming_it(self, db, login_as, settings, monkeypatch):
        monkeypatch.setattr(settings, "import_max_rows", 1)
        resp = self._post(db, login_as, _csv("Ana", "Eva"))
        assert resp.status_code == 413 and "supera el límite de 1 filas" in resp.text

    def test_stray_byte_names_the_line_and_declared_latin1_is_reported(self, db, login_as):
        data = _not_cp1252(_csv("Muñoz", encoding="latin-1"))
        resp = self._post(db, login_as, data)
        assert resp.status_code == 422 and "no es texto UTF-8 válido" in resp.text
        resp = self._post(db, login_as, data, encoding="latin-1")
        assert resp.status_code == 200, resp.text
        assert "Codificación del CSV: Latin-1 (ISO-8859-1) (indicada)." in resp.text
