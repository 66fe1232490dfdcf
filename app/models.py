"""Every domain's models, imported once: the full metadata for Alembic and the tests."""

from app.agenda.models import AGENDA_INDEXES
from app.audit.models import AuditEvent
from app.caseload.models import Assignment
from app.cases.models import Case, CaseCounter, CaseStatusChange
from app.consents.models import Consent
from app.db import Base, DataVersion
from app.detections.models import Detection
from app.documents.models import Document, DocumentChunk
from app.followups.models import FollowUp, FollowUpAction
from app.links.models import VictimLink
from app.names.models import NameToken
from app.plans.models import Plan, PlanGoal, PlanNeed, PlanReview, PlanReviewGoal
from app.protection.models import ProtectionMeasure
from app.referrals.models import Referral
from app.tokens.models import ApiToken
from app.transfers.models import Transfer
from app.users.models import LoginAttempt, User, UserTeam
from app.victims.models import RouteLeg, Victim, VictimIdentity
from app.web.models import SubmissionToken

__all__ = [
    "AGENDA_INDEXES",
    "ApiToken",
    "Assignment",
    "AuditEvent",
    "Base",
    "Case",
    "CaseCounter",
    "CaseStatusChange",
    "Consent",
    "DataVersion",
    "Detection",
    "Document",
    "DocumentChunk",
    "FollowUp",
    "FollowUpAction",
    "LoginAttempt",
    "NameToken",
    "Plan",
    "PlanGoal",
    "PlanNeed",
    "PlanReview",
    "PlanReviewGoal",
    "ProtectionMeasure",
    "Referral",
    "RouteLeg",
    "SubmissionToken",
    "Transfer",
    "User",
    "UserTeam",
    "Victim",
    "VictimIdentity",
    "VictimLink",
]
