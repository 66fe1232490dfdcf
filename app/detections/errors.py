"""Errors of the detections domain."""

from __future__ import annotations

from app.errors import NotFound


class DetectionNotFound(NotFound):
    def default_detail(self) -> str:
        return "Detection not found."
