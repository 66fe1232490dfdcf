"""Errors of the plans domain."""

from __future__ import annotations

from app.errors import NotFound


class PlanNotFound(NotFound):
    code = "plan_not_found"
