"""Errors of the shared record lifecycle."""

from __future__ import annotations

from app.errors import Conflict


class NotDeleted(Conflict):
    """A restore of a record that is not deleted (someone restored it already)."""

    code = "record_not_deleted"
