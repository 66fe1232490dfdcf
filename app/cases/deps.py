"""The case a JSON route names in its path (`case_id`), found for the caller.

Every domain whose records hang from a case (victims, detections) takes its case from here.
"""

from __future__ import annotations

from typing import Annotated

from app.cases.models import Case
from app.cases.service import CASES
from app.work.api import restorable, visible, writable

VisibleCase = Annotated[Case, visible(CASES, "case_id")]
WritableCase = Annotated[Case, writable(CASES, "case_id")]
RestorableCase = Annotated[Case, restorable(CASES, "case_id")]
