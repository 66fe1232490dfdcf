"""Permission rules of a victim's documents (upload, list, metadata, download, delete,
restore). Restore runs against a document that is not deleted: a coordinator of the team
gets 409, past role and scope (restoring for real: tests/documents)."""

from __future__ import annotations

from typing import Any

from app.catalogs import Team
from tests.documents import samples
from tests.permissions.framework import Rule, case_work

V = "/api/v1/victims/{victim_id}"
D = "/api/v1/documents/{document_id}"
READ, CREATE = case_work(), case_work(read=False, created=True)
DELETE = case_work(read=False, ok=204)
RESTORE: dict[str, int | tuple[int, int]] = {
    "psychologist": 403,
    "lawyer": 403,
    "social_worker": 403,
    "coordinator": (409, 404),
    "admin": 403,
    "visualiser": 403,
    "anonymous": 401,
}

RULES = [
    Rule(
        "POST",
        f"{V}/documents",
        CREATE,
        data=lambda w: samples.form(),
        files=lambda w: {"file": ("denuncia.pdf", samples.pdf(), "application/pdf")},
    ),
    Rule("GET", f"{V}/documents", READ),
    Rule("GET", D, READ),
    Rule("GET", f"{D}/content", READ),
    Rule("DELETE", D, DELETE, query=lambda w: {"version": w["document_version"]}),
    Rule("POST", f"{D}/restore", RESTORE, json=lambda w: {"version": w["document_version"]}),
]


def populate(db: Any, team: str, users: dict[str, Any]) -> dict[str, Any]:
    from app.cases.models import Case
    from app.victims.models import Victim
    from tests.documents.factories import make_document
    from tests.factories import make_case, make_victim

    world = users["_world"]
    out: dict[str, Any] = {}
    case = db.get(Case, world["case_id"]) if "case_id" in world else None
    if case is None:
        case = make_case(db, team=Team(team))
        out["case_id"] = case.id
    victim = db.get(Victim, world["victim_id"]) if "victim_id" in world else None
    if victim is None:
        victim = make_victim(db, case=case)
        out["victim_id"] = victim.id
    document = make_document(db, victim, author=users["author"])
    return out | {"document_id": document.id, "document_version": document.version}
