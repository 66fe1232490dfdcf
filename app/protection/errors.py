"""Errors of the protection-measures domain."""

from __future__ import annotations

from app.errors import NotFound


class MeasureNotFound(NotFound):
    code = "measure_not_found"
