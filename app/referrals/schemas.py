"""Schemas of referrals to and from institutions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.catalogs import ExternalRefKind, Institution, ReferralDirection, ReferralOutcome
from app.integrity import IntegrityErrors
from app.pagination import Page
from app.schemas import AuthorRead, read_model, request_body
from app.work.schemas import VICTIM_ID, versioned_example

_CREATE: dict[str, Any] = {
    "direction": "out",
    "institution": "fistrap",
    "referred_on": "2024-03-15",
    "reason": "Denuncia por trata con fines de explotación sexual.",
    "outcome": "pending",
    "external_ref_kind": "fiscal_case",
    "external_ref": "CF 506014501-2024-123-0",
}
_READ = versioned_example(
    _CREATE
    | {
        "id": "2b3c4d5e-6f70-4a81-92a3-b4c5d6e7f809",
        "victim_id": VICTIM_ID,
        "consent_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "consent_override": None,
    },
    at="2024-03-15T14:00:00Z",
)
# What allows an outgoing referral: the live consent, or an override with its reason.
CONSENT_FIELDS = frozenset({"consent_id", "consent_override"})


class ConsentOverride(BaseModel):
    """Why an outgoing referral is made without a live `data_sharing` consent (an
    emergency: a child in danger). Free text: it is stored encrypted."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2_000)


class ConsentOverrideRead(BaseModel):
    reason: str | None


class ReferralFields(BaseModel):
    """The referral's own fields, as stored (the consent that covers it is resolved apart)."""

    direction: ReferralDirection
    institution: Institution
    referred_on: date
    reason: str = Field(min_length=1, max_length=2_000)
    outcome: ReferralOutcome | None = None
    external_ref_kind: ExternalRefKind | None = None
    external_ref: str | None = Field(default=None, max_length=100)


class ReferralCreate(ReferralFields):
    """A new referral. An outgoing one needs the victim's `data_sharing` consent live on
    `referred_on`: left out, the server finds and records it; given, it must be that one.
    Without one, `consent_override` records why it is made anyway."""

    model_config = request_body(_CREATE)

    consent_id: uuid.UUID | None = None
    consent_override: ConsentOverride | None = None


class ReferralUpdate(BaseModel):
    model_config = request_body({"version": 1, "outcome": "accepted"})

    version: int
    direction: ReferralDirection | None = None
    institution: Institution | None = None
    referred_on: date | None = None
    reason: str | None = Field(default=None, min_length=1, max_length=2_000)
    outcome: ReferralOutcome | None = None
    external_ref_kind: ExternalRefKind | None = None
    external_ref: str | None = Field(default=None, max_length=100)
    consent_id: uuid.UUID | None = None
    consent_override: ConsentOverride | None = None


class ReferralRead(BaseModel):
    model_config = read_model(_READ)

    id: uuid.UUID
    victim_id: uuid.UUID
    direction: ReferralDirection
    institution: Institution
    referred_on: date
    reason: str | None
    outcome: ReferralOutcome | None
    external_ref_kind: ExternalRefKind | None
    external_ref: str | None
    consent_id: uuid.UUID | None
    consent_override: ConsentOverrideRead | None
    created_by_id: uuid.UUID | None
    author: AuthorRead | None = Field(description="Who wrote it (null: imported or older)")
    version: int
    created_at: datetime
    updated_at: datetime
    integrity_errors: IntegrityErrors


class ReferralList(Page[ReferralRead]):
    """A page of a victim's referrals, latest first."""
