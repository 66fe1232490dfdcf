"""Errors of the plans domain."""

from __future__ import annotations

from app.errors import NotFound


class PlanNotFound(NotFound):
    def default_detail(self) -> str:
        return "Plan not found."
