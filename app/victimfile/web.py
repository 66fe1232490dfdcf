"""The "Imprimir ficha" pages: the file as a print-ready page and the same as a PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.db import SessionDep
from app.victimfile.content import collect
from app.victimfile.pdf import printed_line, render_pdf
from app.victimfile.router import pdf_response
from app.web.forms import parse_id
from app.web.respond import render
from app.web.session import WebUser

router = APIRouter()


@router.get("/victimas/{victim_id}/ficha", name="victimfile:page")
def file_page(request: Request, session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """The file laid out for the printer (the browser's own "Imprimir")."""
    file = collect(session, user, parse_id(victim_id))
    printed = printed_line(file.printed_by, file.printed_at)
    response = render(request, "victimfile/page.html", {"file": file, "printed": printed})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/victimas/{victim_id}/ficha.pdf", name="victimfile:pdf")
def file_pdf(session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """The same file as a PDF to save or send to the printer."""
    file = collect(session, user, parse_id(victim_id))
    return pdf_response(render_pdf(file), file.code)
