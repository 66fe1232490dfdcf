"""Every domain's models, imported once: the full metadata for Alembic and the tests."""

from app.agenda.models import AGENDA_INDEXES
from app.audit.models import AuditEvent
from app.caseload.models import Assignment
from app.cases.models import Case, CaseCounter, CaseStatusChange
from app.consents.models import Consent
from app.db import Base, DataVersion
from app.detections.models import Detection
from app.followups.models import FollowUp, FollowUpAction
from app.links.models import VictimLink
from app.plans.models import Plan, PlanGoal, PlanNeed, PlanReview, PlanReviewGoal
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.tokens.models import ApiToken
from app.users.models import LoginAttempt, User, UserTeam
from app.victims.models import RouteLeg, Victim, VictimIdentity
from app.web.models import SubmissionToken
from app.web.models import SubmissionToken

__all__ = [
    "AGENDA_INDEXES",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Case",
    "CaseCounter",
    "Assignment",
    "CaseStatusChange",
    "Consent",
    "DataVersion",
    "Detection",
    "FollowUp",
    "FollowUpAction",
    "LoginAttempt",
    "Plan",
    "PlanGoal",
    "PlanNeed",
    "PlanReview",
    "PlanReviewGoal",
    "ProtectionMeasure",
    "Referral",
    "RouteLeg",
    "SubmissionToken",
    "SubmissionToken",
    "User",
    "UserTeam",
    "Victim",
    "VictimIdentity",
    "VictimLink",
]
