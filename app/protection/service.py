"""Protection measures: the domain's rules, declared once in `MEASURES` (create, list,
edit, soft-delete and restore are the kind's)."""

from __future__ import annotations

from app.protection.errors import MeasureNotFound
from app.protection.models import ProtectionMeasure
from app.work.kinds import Check, DeletableKind

REQUIRED = ("kind", "institution", "granted_on")


def _check(c: Check[ProtectionMeasure]) -> None:
    c.problems.required(c.sent, REQUIRED)
    if not c.touches({"granted_on", "ends_on"}):
        return
    # The opening bounds the start only when the start is sent: stored dates were checked
    # when written. The end never precedes the start, as it will be.
    floor = c.opened_on() if "granted_on" in c.sent else None
    c.problems.past_date("granted_on", c["granted_on"], not_before=floor)
    c.problems.not_before("ends_on", c["ends_on"], c["granted_on"], "ends_before_start")


MEASURES = DeletableKind(
    ProtectionMeasure, "protection_measure", MeasureNotFound, dated_by="granted_on", check=_check
)
