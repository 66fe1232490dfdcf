"""Errors of the cases domain (messages name states and fields, never values)."""

from __future__ import annotations

from app.errors import Conflict
from app.scope import CaseNotFound

__all__ = ["CaseAlreadyClosed", "CaseNotClosed", "CaseNotFound"]


class CaseAlreadyClosed(Conflict):
    code = "case_closed"


class CaseNotClosed(Conflict):
    code = "case_not_closed"
