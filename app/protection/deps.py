"""The protection measure a JSON route names in its path (`measure_id`), found for the caller."""

from __future__ import annotations

from typing import Annotated

from app.protection.models import ProtectionMeasure
from app.protection.service import MEASURES
from app.work.api import restorable, writable

WritableMeasure = Annotated[ProtectionMeasure, writable(MEASURES, "measure_id")]
RestorableMeasure = Annotated[ProtectionMeasure, restorable(MEASURES, "measure_id")]
