"""The detection a JSON route names in its path (`detection_id`), found for the caller."""

from __future__ import annotations

from typing import Annotated

from app.detections.models import Detection
from app.detections.service import DETECTIONS
from app.work.api import restorable, writable

WritableDetection = Annotated[Detection, writable(DETECTIONS, "detection_id")]
RestorableDetection = Annotated[Detection, restorable(DETECTIONS, "detection_id")]
