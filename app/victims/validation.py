"""Rules of a victim's record that span fields, checked on the merged (stored + sent) values.

Each failure is a 422 naming the field, never echoing a value.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.catalogs import TraffickingPurpose, Typology
from app.error_texts import ErrorCode
from app.errors import InvalidInput


def age_on(birth: date, on: date) -> int:
    """Whole years between a birth date and a later date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def resolve_age(*, intake_on: date, age_at_intake: int | None, birth_date: date | None) -> int:
    """Age at intake: given, or derived from the birth date (both given must agree)."""
    if birth_date is None:
        if age_at_intake is None:
            raise InvalidInput("age_at_intake", "age_or_birth_date_required")
        return age_at_intake
    if birth_date > intake_on:
        raise InvalidInput("birth_date", "birth_after_intake")
    derived = age_on(birth_date, intake_on)
    if derived > 120:
        raise InvalidInput("birth_date", "age_above_120")
    if age_at_intake is not None and age_at_intake != derived:
        raise InvalidInput("age_at_intake", "age_mismatch")
    return derived


def check_purpose(typology: Typology, purpose: TraffickingPurpose | None) -> None:
    if typology == Typology.trafficking and purpose is None:
        raise InvalidInput("trafficking_purpose", "trafficking_purpose_required")
    if typology != Typology.trafficking and purpose is not None:
        raise InvalidInput("trafficking_purpose", "trafficking_purpose_forbidden")


def form_rules(body: Mapping[str, Any]) -> list[ErrorCode]:
    """The registration's cross-field rules on the raw form values. Pydantic runs a model's
    own rules only once every field is valid, so a form with one bad date would show the
    purpose rule only on the next submit; the page adds these to the first round instead."""
    codes: list[ErrorCode] = []
    typology, purpose = body.get("typology"), body.get("trafficking_purpose")
    if typology and (typology == Typology.trafficking.value) != bool(purpose):
        codes.append("trafficking_purpose_mismatch")
    if not body.get("age_at_intake") and not body.get("birth_date"):
        codes.append("age_or_birth_date_required")
    return codes


REQUIRED = ("intake_on", "sex", "nationality", "typology")


def check_required(changes: dict[str, object]) -> None:
    """A PATCH may change these fields but never empty them."""
    for name in REQUIRED:
        if name in changes and changes[name] is None:
            raise InvalidInput(name, "required")
