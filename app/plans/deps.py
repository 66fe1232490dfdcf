"""The plan a JSON route names in its path (`plan_id`), found for the caller."""

from __future__ import annotations

from typing import Annotated

from app.plans.models import Plan
from app.plans.service import PLANS
from app.work.api import restorable, visible, writable

VisiblePlan = Annotated[Plan, visible(PLANS, "plan_id")]
WritablePlan = Annotated[Plan, writable(PLANS, "plan_id")]
RestorablePlan = Annotated[Plan, restorable(PLANS, "plan_id")]
