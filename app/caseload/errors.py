"""Errors of the caseload domain (assignments of staff to cases)."""

from __future__ import annotations

from app.errors import Conflict, NotFound


class AssignmentNotFound(NotFound):
    code = "assignment_not_found"


class AssignmentEnded(Conflict):
    code = "assignment_ended"


class AssignmentExists(Conflict):
    code = "assignment_exists"


class TeamNotFound(NotFound):
    code = "team_not_found"
