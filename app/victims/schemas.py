"""Request and response bodies of the victims API.

Shape checks (types, catalog codes, lengths, dates not in the future, ISO country,
INEI region only in Peru, route order, purpose only for trafficking) live here; rules
that need the stored record (PATCH merges) are re-checked in `victims.validation`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.cases.schemas import not_future
from app.catalogs import (
    CaptureModality,
    DocumentType,
    EducationLevel,
    IndigenousLanguage,
    MigrationStatus,
    Region,
    RouteStage,
    Sex,
    Team,
    TraffickerRelation,
    TraffickingPurpose,
    Typology,
    ViolenceAnswer,
)
from app.countries import is_country
from app.errors import rule_error
from app.integrity import IntegrityErrors
from app.pagination import Page
from app.schemas import AUTHOR_EXAMPLE, AuthorRead, read_model, request_body

VICTIM_ID = "5d1c2b3a-0f9e-4d8c-b7a6-958473625140"
STAGE_ORDER = {RouteStage.capture: 0, RouteStage.transit: 1, RouteStage.exploitation: 2}
TEXT_MAX = 200


def iso_country(value: str) -> str:
    code = value.strip().upper()
    if not is_country(code):
        raise rule_error("country_invalid")
    return code


class ViolenceHistory(BaseModel):
    """Answers per violence type; a type left out is `not_recorded`."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    psychological: ViolenceAnswer = ViolenceAnswer.not_recorded
    sexual: ViolenceAnswer = ViolenceAnswer.not_recorded
    physical: ViolenceAnswer = ViolenceAnswer.not_recorded
    family: ViolenceAnswer = ViolenceAnswer.not_recorded
    economic: ViolenceAnswer = ViolenceAnswer.not_recorded


class RouteLegIn(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    stage: RouteStage
    country: str
    region: Region | None = None

    _country = field_validator("country")(iso_country)

    @model_validator(mode="after")
    def _region_only_in_peru(self) -> RouteLegIn:
        if self.region is not None and self.country != "PE":
            raise rule_error("region_only_peru")
        return self


def check_route_order(route: list[RouteLegIn]) -> list[RouteLegIn]:
    ranks = [STAGE_ORDER[leg.stage] for leg in route]
    if ranks != sorted(ranks):
        raise rule_error("route_order")
    return route


class IdentityIn(BaseModel):
    """The only place for a name or a document: encrypted at rest."""

    model_config = ConfigDict(extra="forbid")

    given_names: str | None = Field(default=None, max_length=TEXT_MAX)
    family_names: str | None = Field(default=None, max_length=TEXT_MAX)
    document_type: DocumentType | None = None
    document_number: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=500)


class IdentityRead(IdentityIn):
    birth_date: date | None = None
    integrity_errors: IntegrityErrors


class VictimProfile(BaseModel):
    """Profile fields shared by create and update (all optional here)."""

    capture_modality: CaptureModality | None = None
    trafficker_relation: TraffickerRelation | None = None
    education_level: EducationLevel | None = None
    disability: bool | None = None
    indigenous_language: IndigenousLanguage | None = None
    migration_status: MigrationStatus | None = None
    reflection_until: date | None = None  # the end of a reflection period may lie ahead


_EXAMPLE_CREATE: dict[str, Any] = {
    "intake_on": "2024-03-12",
    "sex": "female",
    "age_at_intake": 15,
    "birth_date": None,
    "nationality": "VE",
    "typology": "trafficking",
    "trafficking_purpose": "sexual",
    "capture_modality": "false_job_offer",
    "trafficker_relation": "acquaintance",
    "education_level": "secondary",
    "disability": False,
    "indigenous_language": None,
    "migration_status": "irregular",
    "reflection_until": None,
    "violence_history": {
        "psychological": "yes",
        "sexual": "unknown",
        "physical": "no",
        "family": "not_recorded",
        "economic": "not_recorded",
    },
    "route": [
        {"stage": "capture", "country": "PE", "region": "16"},
        {"stage": "transit", "country": "PE", "region": "15"},
        {"stage": "exploitation", "country": "PE", "region": "17"},
    ],
    "identity": {
        "given_names": "Ana María",
        "family_names": "Pérez Soto",
        "document_type": "foreign_id",
        "document_number": "001234567",
        "phone": "+51 999 000 111",
        "address": "Jr. Ejemplo 123, Iquitos",
    },
}


class VictimCreate(VictimProfile):
    model_config = request_body(_EXAMPLE_CREATE)

    intake_on: date
    sex: Sex
    age_at_intake: int | None = Field(default=None, ge=0, le=120)
    birth_date: date | None = None
    nationality: str
    typology: Typology
    trafficking_purpose: TraffickingPurpose | None = None
    violence_history: ViolenceHistory = Field(default_factory=ViolenceHistory)
    route: list[RouteLegIn] = Field(default_factory=list, max_length=20)
    identity: IdentityIn | None = None

    _dates = field_validator("intake_on", "birth_date")(not_future)
    _country = field_validator("nationality")(iso_country)
    _route = field_validator("route")(check_route_order)

    @model_validator(mode="after")
    def _rules(self) -> VictimCreate:
        if self.age_at_intake is None and self.birth_date is None:
            raise rule_error("age_or_birth_date_required")
        if (self.typology == Typology.trafficking) != (self.trafficking_purpose is not None):
            raise rule_error("trafficking_purpose_mismatch")
        return self


class VictimUpdate(VictimProfile):
    """Partial update: fields sent replace the stored ones (`route` as a whole;
    `identity` and `violence_history` key by key)."""

    model_config = request_body(
        {
            "version": 2,
            "education_level": "primary",
            "violence_history": {"sexual": "yes"},
            "identity": {"phone": "+51 999 222 333"},
        }
    )

    version: int
    intake_on: date | None = None
    sex: Sex | None = None
    age_at_intake: int | None = Field(default=None, ge=0, le=120)
    birth_date: date | None = None
    nationality: str | None = None
    typology: Typology | None = None
    trafficking_purpose: TraffickingPurpose | None = None
    violence_history: dict[str, ViolenceAnswer] | None = None
    route: list[RouteLegIn] | None = Field(default=None, max_length=20)
    identity: IdentityIn | None = None

    _dates = field_validator("intake_on", "birth_date")(not_future)

    @field_validator("nationality")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return None if value is None else iso_country(value)

    @field_validator("route")
    @classmethod
    def _route(cls, value: list[RouteLegIn] | None) -> list[RouteLegIn] | None:
        return None if value is None else check_route_order(value)

    @field_validator("violence_history")
    @classmethod
    def _violence_keys(
        cls, value: dict[str, ViolenceAnswer] | None
    ) -> dict[str, ViolenceAnswer] | None:
        unknown = set(value or {}) - set(ViolenceHistory.model_fields)
        if unknown:
            raise rule_error("violence_type_unknown")
        return value


class VictimItem(BaseModel):
    """A victim in a list: profile codes only, never identity."""

    model_config = read_model(
        {
            "id": VICTIM_ID,
            "case_id": "0b6f6a52-6d0e-4b8e-9a0c-3f7d2a1c9e41",
            "code": "LIM-2024-0042-V1",
            "intake_on": "2024-03-12",
            "sex": "female",
            "age_at_intake": 15,
            "nationality": "VE",
            "typology": "trafficking",
            "trafficking_purpose": "sexual",
            "version": 1,
            "author": AUTHOR_EXAMPLE,
            "created_at": "2024-03-12T15:04:05Z",
        }
    )

    id: uuid.UUID
    case_id: uuid.UUID
    code: str
    intake_on: date
    sex: Sex
    age_at_intake: int
    nationality: str
    typology: Typology
    trafficking_purpose: TraffickingPurpose | None
    version: int
    author: AuthorRead | None = Field(description="Who recorded it (null: imported or older)")
    created_at: datetime


class VictimList(Page[VictimItem]):
    """A page of victims."""


_EXAMPLE_READ: dict[str, Any] = {
    **{k: v for k, v in _EXAMPLE_CREATE.items() if k != "birth_date"},
    "id": VICTIM_ID,
    "case_id": "0b6f6a52-6d0e-4b8e-9a0c-3f7d2a1c9e41",
    "code": "LIM-2024-0042-V1",
    "team": "lima",
    "version": 1,
    "identity": {**_EXAMPLE_CREATE["identity"], "birth_date": None},
    "author": AUTHOR_EXAMPLE,
    "created_at": "2024-03-12T15:04:05Z",
    "updated_at": "2024-03-12T15:04:05Z",
}


class VictimRead(VictimProfile, VictimItem):
    """A victim's record; `identity` only for roles that may read it (the read is audited)."""

    model_config = read_model(_EXAMPLE_READ)

    team: Team
    violence_history: ViolenceHistory
    route: list[RouteLegIn]
    identity: IdentityRead | None = None
    created_at: datetime
    updated_at: datetime


def _absent(value: object) -> bool:
    return value is None


class PossibleDuplicate(BaseModel):
    """A likely earlier record of the same person (name, sex, birth year or age, document).

    In the caller's teams: its case, victim code, score and what matched. In other teams
    only where it is (`case_code`, `team`: the fields left out are absent, not null), and
    only for strong matches, each an audited disclosure counted in the hourly limit.
    """

    case_code: str
    team: Team
    victim_code: str | None = Field(default=None, exclude_if=_absent)
    score: float | None = Field(default=None, ge=0, le=1, exclude_if=_absent)
    matched_on: list[str] | None = Field(default=None, exclude_if=_absent)


class VictimCreated(VictimRead):
    model_config = read_model(
        {
            **_EXAMPLE_READ,
            "possible_duplicates": [
                {
                    "case_code": "LIM-2019-0031",
                    "team": "lima",
                    "victim_code": "LIM-2019-0031-V1",
                    "score": 0.93,
                    "matched_on": ["name", "sex", "age"],
                },
                {"case_code": "CUS-2023-0007", "team": "cusco"},
            ],
        }
    )

    possible_duplicates: list[PossibleDuplicate] = Field(default_factory=list)


class VictimSearch(BaseModel):
    """By document number (exact), by name (any part, any order, spelling variants), or
    both (either may match); sex, birth year and age at intake (± 2) narrow a name search."""

    model_config = request_body(
        {"document_number": "001234567"},
        {"name": "maria quispe", "sex": "female", "age": 15},
    )

    document_number: str | None = Field(default=None, min_length=1, max_length=40)
    name: str | None = Field(default=None, min_length=1, max_length=TEXT_MAX)
    sex: Sex | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    age: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _name_or_document(self) -> VictimSearch:
        if not (self.name or "").strip() and self.document_number is None:
            raise rule_error("search_name_or_document")
        return self
