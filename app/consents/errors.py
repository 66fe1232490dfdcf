"""Errors of the consents domain."""

from __future__ import annotations

from app.errors import Conflict, NotFound


class ConsentNotFound(NotFound):
    def default_detail(self) -> str:
        return "Consent not found."


class ConsentAlreadyRevoked(Conflict):
    def default_detail(self) -> str:
        return "The consent was already revoked."


class ConsentAlreadyGiven(Conflict):
    def default_detail(self) -> str:
        return "A consent for this purpose is already in force: revoke it first."
