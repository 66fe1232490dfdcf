"""Errors of the cases domain (messages name states and fields, never values)."""

from __future__ import annotations

from app.errors import Conflict
from app.scope import CaseNotFound

__all__ = ["CaseAlreadyClosed", "CaseNotClosed", "CaseNotDeleted", "CaseNotFound"]


class CaseAlreadyClosed(Conflict):
    def default_detail(self) -> str:
        return "The case is closed: reopen it first."


class CaseNotClosed(Conflict):
    def default_detail(self) -> str:
        return "Only a closed case can be reopened."


class CaseNotDeleted(Conflict):
    def default_detail(self) -> str:
        return "The record is not deleted."
