"""A victim's identity: the only identifying data, encrypted, found by blind index.

Reads of identity by people are audited by the callers (`read_identity`); lookups by
document number compare HMACs under every key of the keyring, so they keep working
while the data key is being rotated.
"""

from __future__ import annotations

from datetime import date
from types import EllipsisType
from typing import Any

from sqlalchemy.orm import Session

from app.crypto import get_keyring
from app.victims.models import Victim, VictimIdentity
from app.victims.schemas import IdentityRead

IDENTITY_FIELDS = (
    "given_names",
    "family_names",
    "document_type",
    "document_number",
    "phone",
    "address",
)


def load_identity(session: Session, victim: Victim) -> VictimIdentity | None:
    return session.get(VictimIdentity, victim.id)


def stored_birth_date(identity: VictimIdentity | None) -> date | None:
    if identity is None or not identity.birth_date:
        return None
    return date.fromisoformat(identity.birth_date)


def identity_read(identity: VictimIdentity) -> IdentityRead:
    return IdentityRead(
        **{f: getattr(identity, f) for f in IDENTITY_FIELDS},
        birth_date=stored_birth_date(identity),
        integrity_errors=identity.integrity_errors,
    )


def identity_fields_present(identity: VictimIdentity) -> list[str]:
    """Names of the identity fields that hold a value (what a read disclosed)."""
    names = [f for f in IDENTITY_FIELDS if getattr(identity, f) is not None]
    if identity.birth_date:
        names.append("birth_date")
    return [f"identity.{n}" for n in names]


def apply_identity(
    session: Session,
    victim: Victim,
    current: VictimIdentity | None,
    values: dict[str, Any],
    *,
    birth_date: date | None | EllipsisType,
) -> tuple[VictimIdentity | None, list[str]]:
    """Set identity fields (and the birth date, unless `...`); the changed field names."""
    identity = current
    changed: list[str] = []
    wanted = dict(values)
    if birth_date is not ...:
        wanted["birth_date"] = birth_date.isoformat() if isinstance(birth_date, date) else None
    for name, value in wanted.items():
        old = getattr(identity, name) if identity is not None else None
        if old == value:
            continue
        if identity is None:
            identity = VictimIdentity(victim_id=victim.id)
            session.add(identity)
        setattr(identity, name, value)
        changed.append(f"identity.{name}")
        if name == "document_number":
            identity.document_index = get_keyring().blind_index(value) if value else None
    return identity, changed
