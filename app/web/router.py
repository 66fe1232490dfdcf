"""Every HTML page router, gathered for app.main (the UI's pages live beside their domain)."""

from __future__ import annotations

import importlib

from fastapi import APIRouter, Depends

from app.web.session import csrf_protect

# Modules exposing `router` with HTML pages. A module not written yet is skipped, so the
# domains can add their pages independently.
WEB_MODULES = [
    "app.web.pages",
    "app.users.web",
    "app.cases.web",
    "app.victims.web",
    "app.web.work",
    "app.statistics.web",
    "app.routes.web",
    "app.admin.web",
    "app.web.victim_pages",
    "app.web.records",
    "app.web.measures",
    "app.web.deleted",
    "app.web.imports_pages",
]

# Every HTML route, whoever wrote it, refuses a POST without the CSRF token (403).
router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
for _name in WEB_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not _name.startswith(exc.name):
            raise
        continue
    router.include_router(_module.router)
