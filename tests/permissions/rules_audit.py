"""Permission rules of the audit log: admin and coordinators (all teams), nobody else."""

from __future__ import annotations

from tests.permissions.framework import Rule, only

RULES = [
    Rule("GET", "/api/v1/audit", only(("admin", "coordinator"))),
]
