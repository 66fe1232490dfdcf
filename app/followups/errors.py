"""Errors of the follow-ups domain."""

from __future__ import annotations

from app.errors import Conflict, NotFound


class FollowUpNotFound(NotFound):
    def default_detail(self) -> str:
        return "Follow-up not found."


class SupersedeConflict(Conflict):
    """The follow-up to correct is not this victim's, or was already corrected."""

    def default_detail(self) -> str:
        return "The follow-up to supersede is not a current follow-up of this victim."
