"""Errors of the consents domain."""

from __future__ import annotations

from app.errors import Conflict, NotFound


class ConsentNotFound(NotFound):
    code = "consent_not_found"


class ConsentAlreadyRevoked(Conflict):
    code = "consent_already_revoked"


class ConsentAlreadyGiven(Conflict):
    code = "consent_already_given"
