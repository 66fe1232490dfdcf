"""Errors of the protection-measures domain."""

from __future__ import annotations

from app.errors import NotFound


class MeasureNotFound(NotFound):
    def default_detail(self) -> str:
        return "Protection measure not found."
