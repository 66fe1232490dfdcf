"""Permission rules of imports and exports: coordinators only, rows of their own teams."""

from __future__ import annotations

from typing import Any

from tests.imports.builders import csv_bytes, victim_row
from tests.permissions.framework import Rule, only

COORDINATOR = ("coordinator",)


def _upload(world: dict[str, Any]) -> dict[str, Any]:
    # A row for the world's team: the coordinator's own team imports, another is a row error.
    row = victim_row(world["n"], team=world["team"], case=f"PERM-C{world['n']}")
    row["victim_external_id"] = f"PERM-V{world['n']}"
    return {"file": ("perm.csv", csv_bytes([row]), "text/csv")}


_import = only(COORDINATOR)
_import["coordinator"] = (200, 422)

RULES = [
    Rule("GET", "/api/v1/imports/template", only(COORDINATOR), query=lambda w: {"format": "csv"}),
    Rule(
        "POST",
        "/api/v1/imports",
        _import,
        files=_upload,
        data=lambda w: {"dry_run": "true"},
        note="another team's row is a row error (422), never an import",
    ),
    Rule(
        "POST",
        "/api/v1/exports",
        only(COORDINATOR),
        json=lambda w: {"reason": "prueba de permisos", "format": "xlsx", "shape": "calp"},
    ),
]
