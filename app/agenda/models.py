"""The indexes the agenda reads by (no table of its own: every item is computed).

Each kind of item is found by walking one date column from the start of the window, so
each of those columns has an index; they are declared here, beside the one query that
needs them, and attach to their domains' tables.
"""

from __future__ import annotations

from sqlalchemy import Index

from app.followups.models import FollowUpAction
from app.plans.models import Plan, PlanGoal
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.victims.models import Victim

AGENDA_INDEXES = (
    # (date, id): the agenda's own order, so a page reads one page of rows per kind (with
    # the date alone, a page reads every record of the window's first day).
    Index("ix_plans_next_review_on_id", Plan.next_review_on, Plan.id),
    Index("ix_plan_goals_due_on", PlanGoal.due_on, PlanGoal.id),
    Index("ix_protection_measures_ends_on", ProtectionMeasure.ends_on, ProtectionMeasure.id),
    Index("ix_victims_reflection_until", Victim.reflection_until, Victim.id),
    Index("ix_referrals_referred_on", Referral.referred_on, Referral.id),
    Index("ix_follow_up_actions_due_on", FollowUpAction.due_on, FollowUpAction.id),
)
