"""Tiny valid files of every allowed type, made in code, and helpers to upload them."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Any

MARKER = "MARCADOR-SECRETO-7731"


def pdf(marker: str = MARKER) -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({marker}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(body)}>>stream\n".encode()
        + body
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    # SOI, a JFIF APP0 header, EOI: what the magic number and the type need.
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def webp() -> bytes:
    vp8l = b"\x2f\x00\x00\x00\x00\x88\x88\x08"
    payload = b"WEBP" + b"VP8L" + struct.pack("<I", len(vp8l)) + vp8l
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


def _zip(entries: list[tuple[str, str]], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, text) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            z.writestr(zipfile.ZipInfo(name), text, compress_type=kind)
    return out.getvalue()


def docx(marker: str = MARKER) -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
            ("_rels/.rels", '<?xml version="1.0"?><Relationships/>'),
            ("word/document.xml", f"<w:document><w:t>{marker}</w:t></w:document>"),
        ]
    )


def odt(marker: str = MARKER) -> bytes:
    return _zip(
        [
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", f"<office:document-content>{marker}</office:document-content>"),
        ],
        stored_first=True,
    )


def xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "dato"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def text(marker: str = MARKER) -> bytes:
    return f"Informe de la reunión — {marker}\nSegunda línea, ñandú.\n".encode()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (file name, declared type, bytes, the type the server must find)
ALL_TYPES: list[tuple[str, str, bytes, str]] = [
    ("resolucion.pdf", "application/pdf", pdf(), "application/pdf"),
    ("foto.png", "image/png", png(), "image/png"),
    ("foto.jpg", "image/jpeg", jpeg(), "image/jpeg"),
    ("foto.webp", "image/webp", webp(), "image/webp"),
    ("informe.docx", DOCX, docx(), DOCX),
    ("informe.odt", ODT, odt(), ODT),
    ("tabla.xlsx", XLSX, xlsx(), XLSX),
    ("nota.txt", "text/plain", text(), "text/plain"),
]


def form(**overrides: Any) -> dict[str, str]:
    base = {"kind": "complaint", "title": "Denuncia ante la comisaría", "dated_on": "2024-03-20"}
    return base | {k: v for k, v in overrides.items() if v is not None}


def upload(
    client: Any,
    victim_id: object,
    content: bytes = b"",
    *,
    name: str = "denuncia.pdf",
    content_type: str = "application/pdf",
    **fields: Any,
) -> Any:
    return client.post(
        f"/api/v1/victims/{victim_id}/documents",
        data=form(**fields),
        files={"file": (name, content or pdf(), content_type)},
    )
