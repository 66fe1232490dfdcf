"""GET /api/v1/victims/{id}/file.pdf: the printable file of one victim, as the caller may
see it (the reads it makes are audited like any read of identity and narratives)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Response

from app.db import SessionDep
from app.deps import CurrentUser
from app.errors import error_responses
from app.scope import VictimNotFound
from app.victimfile.content import collect
from app.victimfile.pdf import render_pdf
from app.work.api import work_router

router = work_router("victims")
PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The file as a PDF"}
}


def pdf_response(body: bytes, code: str) -> Response:
    """A PDF to save, never to cache: it holds identity and narratives."""
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="ficha-{code}.pdf"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get(
    "/victims/{victim_id}/file.pdf",
    response_class=Response,
    responses={**PDF_RESPONSE, **error_responses(VictimNotFound)},
)
def victim_file_pdf(victim_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Response:
    """The victim's file (profile, identity as scope allows, route, plans and reviews,
    referrals, measures, the follow-ups the caller may read) as an A4 PDF whose footer
    names who printed it and when."""
    file = collect(session, user, victim_id)
    return pdf_response(render_pdf(file), file.code)
