"""Errors of the follow-ups domain."""

from __future__ import annotations

from app.errors import Conflict, NotFound


class FollowUpNotFound(NotFound):
    code = "follow_up_not_found"


class SupersedeConflict(Conflict):
    """The follow-up to correct is not this victim's, or was already corrected."""

    code = "follow_up_not_current"
