"""Errors of the detections domain."""

from __future__ import annotations

from app.errors import NotFound


class DetectionNotFound(NotFound):
    code = "detection_not_found"
