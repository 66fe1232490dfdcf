"""`/importar` (coordinators): upload a CSV/XLSX (dry run or import) and read its report as a
table of línea / columna / motivo; export de-identified data. The import and export services
of this package do the work; this page only presents them."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from app.catalogs import Role
from app.db import SessionDep
from app.deps import SettingsDep
from app.error_texts import error_text
from app.errors import NotAllowed, TooLarge
from app.imports import export as exporter
from app.imports.layout import DETECTIONS_SHEET
from app.imports.limits import FileUnreadable, ImportLimits, LimitExceeded
from app.imports.reader import read_upload
from app.imports.router import (
    MAX_UPLOAD_BYTES,
    checked_upload,
    end_read_transaction,
    file_response,
)
from app.imports.service import ImportRejected, import_sheets
from app.imports.template import build_template
from app.users.models import User
from app.web.respond import render
from app.web.session import WebUser

router = APIRouter(prefix="/importar")
SHAPES = {"calp": "CALP (se puede volver a importar)", "htcds": "HTCDS (estándar de la OIM)"}
FORMATS = {"xlsx": "XLSX (un libro con dos hojas)", "csv": "CSV (ZIP con dos archivos)"}
# How a CSV is decoded: CALP detects UTF-8 or a clear Windows-1252, or the person says.
ENCODINGS = {
    "auto": "Detectar (UTF-8; Windows-1252 solo si es evidente)",
    "utf-8": "UTF-8",
    "latin-1": "Latin-1 (ISO-8859-1)",
    "cp1252": "Windows-1252",
}
SHOWN_PROBLEMS = 500  # the table stays readable; the count says how many there are


def _coordinator(user: User) -> None:
    if user.role != Role.coordinator:
        raise NotAllowed("import_coordinators_only")


def _page(request: Request, status: int = 200, **context: Any) -> Response:
    base: dict[str, Any] = {
        "shapes": SHAPES,
        "formats": FORMATS,
        "encodings": ENCODINGS,
        "read_as": None,
        "values": {},
        "errors": {},
        "report": None,
        "problems": None,
        "problem_count": 0,
        "detections_sheet": DETECTIONS_SHEET,
        "dry_run": False,
        "max_mb": MAX_UPLOAD_BYTES // 2**20,
    }
    return render(request, "imports/page.html", base | context, status=status)


@router.get("", name="importar:page")
def import_page(request: Request, user: WebUser) -> Response:
    """Upload form, template links and the export form."""
    _coordinator(user)
    return _page(request)


@router.post("", name="importar:upload")
def import_upload(
    request: Request,
    session: SessionDep,
    user: WebUser,
    settings: SettingsDep,
    file: Annotated[UploadFile | None, File()] = None,
    detections: Annotated[UploadFile | None, File()] = None,
    dry_run: Annotated[bool, Form()] = False,
    encoding: Annotated[str, Form()] = "auto",
) -> Response:
    """Validate (and unless a dry run, import) the file; all-or-nothing, every problem listed."""
    _coordinator(user)
    again: dict[str, Any] = {"dry_run": dry_run, "values": {"encoding": encoding}}
    if not (file and file.filename):
        return _page(request, 422, **again, errors={"file": "Elija un archivo CSV o XLSX."})
    try:
        data = checked_upload(file)
        det = checked_upload(detections) if detections and detections.filename else None
        end_read_transaction(session)
        victims, det_sheet = read_upload(
            file.filename,
            data,
            det,
            limits=ImportLimits.from_settings(settings),
            encoding=encoding if encoding in ENCODINGS and encoding != "auto" else None,
        )
        with session.begin_nested():  # a rejected file leaves nothing behind
            report = import_sheets(session, victims, det_sheet, actor=user, dry_run=dry_run)
    except TooLarge as exc:
        return _page(request, 413, **again, errors={"file": exc.detail})
    except LimitExceeded as exc:
        text = error_text("import_limit_exceeded", {"limit": exc.limit})
        return _page(request, 413, **again, errors={"file": text})
    except FileUnreadable as exc:
        return _page(request, 422, **again, errors={"file": f"No se pudo leer: {exc}."})
    except ImportRejected as exc:
        return _page(
            request,
            422,
            **again,
            problems=exc.errors[:SHOWN_PROBLEMS],
            problem_count=len(exc.errors),
        )
    read_as = victims.encoding.describe() if victims.encoding else None
    return _page(request, **again, report=report.as_dict(), read_as=read_as)


@router.post("/exportar", name="importar:export")
def export_download(
    request: Request,
    session: SessionDep,
    user: WebUser,
    reason: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "xlsx",
    shape: Annotated[str, Form()] = "calp",
) -> Response:
    """De-identified export of the coordinator's teams, audited with its reason."""
    _coordinator(user)
    values = {"reason": reason, "format": format, "shape": shape}
    errors: dict[str, str] = {}
    if len(reason.strip()) < 3:
        errors["reason"] = "Escriba para qué es la exportación (queda registrado)."
    if len(reason) > 500:
        errors["reason"] = "El motivo es demasiado largo (máximo 500 caracteres)."
    if format not in FORMATS:
        errors["format"] = "Elija un formato de la lista."
    if shape not in SHAPES:
        errors["shape"] = "Elija una forma de la lista."
    if errors:
        return _page(request, 422, values=values, errors=errors)
    content, media_type, filename = exporter.export_file(
        session,
        user,
        shape=cast(Literal["calp", "htcds"], shape),  # checked against SHAPES above
        fmt=cast(Literal["csv", "xlsx"], format),  # checked against FORMATS above
        reason=reason.strip(),
    )
    return file_response(content, media_type, filename)


@router.get("/plantilla", name="imports:template")
def template_download(user: WebUser, format: str = "xlsx", part: str = "victims") -> Response:
    """The import template (XLSX, or the CSV of victims or of detections)."""
    _coordinator(user)
    fmt: Literal["csv", "xlsx"] = "csv" if format == "csv" else "xlsx"
    content = build_template(fmt, "detections" if part == "detections" else "victims")
    if fmt == "xlsx":
        return file_response(content, exporter.XLSX_TYPE, "plantilla-importacion.xlsx")
    suffix = ".detections.csv" if part == "detections" else ".csv"
    return file_response(content, "text/csv; charset=utf-8", f"plantilla-importacion{suffix}")
