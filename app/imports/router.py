"""JSON API of imports and exports (coordinators, for their own teams)."""

from __future__ import annotations

from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.catalogs import Role
from app.db import SessionDep
from app.deps import CurrentUser, SettingsDep, require_role
from app.errors import (
    ErrorBody,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    TooLarge,
    error_responses,
)
from app.imports import export as exporter
from app.imports.limits import FileUnreadable, ImportLimits, LimitExceeded
from app.imports.reader import read_upload
from app.imports.schemas import ExportCreate, ImportRejectedBody, ImportReportRead
from app.imports.service import import_sheets
from app.imports.template import build_template

router = APIRouter(tags=["imports"], dependencies=[Depends(require_role(Role.coordinator))])

# A 100,000-row CSV is about 20 MB; anything much larger is not a CALP spreadsheet. What
# the file may cost once read (inflated, rows, cells, time) is bounded by app/imports/limits.py.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
XLSX = exporter.XLSX_TYPE


def file_response(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _file_doc(*types: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": "The file", "content": {t: {"example": "(binary)"} for t in types}}
    }


def checked_upload(upload: UploadFile) -> IO[bytes]:
    """The upload's (spooled) file, refused over the upload limit; read later as a stream."""
    stream = upload.file
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size > MAX_UPLOAD_BYTES:
        raise TooLarge("file_too_large", limit_mb=MAX_UPLOAD_BYTES // 2**20)
    return stream


def end_read_transaction(session: Session) -> None:
    """End the transaction that resolving the caller began, before reading a file.

    Reading may take seconds (up to CALP_IMPORT_MAX_SECONDS); on SQLite an open transaction
    holds this worker's write lock, and every other request would wait for it. Nothing has
    been written yet; the import begins its own transaction once the file is read.
    """
    session.commit()


@router.get(
    "/api/v1/imports/template",
    response_class=Response,
    responses={**_file_doc("text/csv", XLSX), **error_responses(NotAuthenticated, NotAllowed)},
)
def download_template(
    format: Annotated[Literal["csv", "xlsx"], Query()] = "xlsx",
    part: Annotated[Literal["victims", "detections"], Query()] = "victims",
) -> Response:
    """The import template: documented columns and one fictitious example row."""
    content = build_template(format, part)
    if format == "xlsx":
        return file_response(content, XLSX, "plantilla-importacion.xlsx")
    name = "plantilla-importacion" + (".detections" if part == "detections" else "") + ".csv"
    return file_response(content, "text/csv; charset=utf-8", name)


@router.post(
    "/api/v1/imports",
    response_model=ImportReportRead,
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "example": {"file": "(binary: casos-2024.xlsx)", "dry_run": True}
                }
            }
        }
    },
    responses={
        # Bad rows, or a request that is itself invalid (no file, an unreadable form).
        422: {"model": ImportRejectedBody | ErrorBody, "description": "bad rows: nothing imported"},
        **error_responses(NotAuthenticated, NotAllowed, TooLarge),
    },
)
def import_file(
    session: SessionDep,
    user: CurrentUser,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX in the documented layout")],
    detections: Annotated[
        UploadFile | None, File(description="CSV only: the detections file (<stem>.detections.csv)")
    ] = None,
    dry_run: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """Validate a spreadsheet and import it whole, or import nothing and list every bad row."""
    data = checked_upload(file)
    det_data = checked_upload(detections) if detections is not None else None
    limits = ImportLimits.from_settings(settings)
    end_read_transaction(session)
    try:
        victims, det_sheet = read_upload(file.filename or "", data, det_data, limits=limits)
    except LimitExceeded as exc:
        raise TooLarge("import_limit_exceeded", limit=exc.limit) from None
    except FileUnreadable as exc:
        raise InvalidInput("file", "file_unreadable", reason=exc) from None
    return import_sheets(session, victims, det_sheet, actor=user, dry_run=dry_run).as_dict()


@router.post(
    "/api/v1/exports",
    response_class=Response,
    responses={
        **_file_doc("application/zip", XLSX),
        **error_responses(NotAuthenticated, NotAllowed),
    },
)
def export_records(body: ExportCreate, session: SessionDep, user: CurrentUser) -> Response:
    """De-identified export of the caller's teams (CSV comes as a ZIP of two files)."""
    content, media_type, filename = exporter.export_file(
        session, user, shape=body.shape, fmt=body.format, reason=body.reason
    )
    return file_response(content, media_type, filename)
