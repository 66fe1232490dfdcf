"""Every HTML page router, gathered for app.main. The pages live beside their domain
(app/<domain>/web.py); each module is imported here by name, so a missing one fails at
start-up instead of silently taking its pages away."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.admin import web as admin
from app.agenda import web as agenda
from app.caseload import web as caseload
from app.cases import web as cases
from app.consents import web as consents
from app.detections import web as detections
from app.documents import web as documents
from app.followups import web as followups
from app.home import web as home
from app.imports import web as imports
from app.links import web as links
from app.plans import pages as plan_pages
from app.plans import web as plans
from app.protection import web as protection
from app.referrals import web as referrals
from app.routes import web as routes
from app.statistics import web as statistics
from app.transfers import web as transfers
from app.users import web as users
from app.victimfile import web as victim_file
from app.victims.web import edit as victim_edit
from app.victims.web import pages as victim_pages
from app.victims.web import records as victim_records
from app.victims.web import search as victim_search
from app.web import static
from app.web.session import csrf_protect
from app.work import edit_web as record_edits
from app.work import new_web as new_work
from app.work import web as deleted_records

# In inclusion order: where two paths could match one request (`/casos/nuevo` and
# `/casos/{case_id}`), the literal one is declared first inside its own module.
PAGE_ROUTERS = [
    home.router,
    static.router,
    users.router,
    cases.router,
    detections.router,
    victim_search.router,  # before victim_pages: /victimas/buscar is no victim id
    victim_pages.router,
    victim_edit.router,
    victim_records.router,
    victim_file.router,
    links.router,
    new_work.router,
    followups.router,
    plans.router,
    plan_pages.router,
    protection.router,
    consents.router,
    documents.router,
    referrals.router,
    statistics.router,
    routes.router,
    admin.router,
    deleted_records.router,
    record_edits.router,
    imports.router,
    transfers.router,
    agenda.router,
    caseload.router,
]

# Every HTML route refuses a POST without the CSRF token (403).
router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
for _pages in PAGE_ROUTERS:
    router.include_router(_pages)
