"""Jinja2 templates (templates/ at the repository root) with the catalog label filter."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from app.catalogs import label

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["label"] = lambda code, catalog: label(catalog, code)
