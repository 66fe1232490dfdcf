"""Errors of the transfers domain (codes name states, never values). The refusals of one
side's step by the other side and the conflicts of a proposal are raised with their codes
where they happen (`NotAllowed("transfer_sending_team_only")`, ...)."""

from __future__ import annotations

from app.errors import Conflict, NotFound


class TransferNotFound(NotFound):
    code = "transfer_not_found"


class TransferNotPending(Conflict):
    code = "transfer_not_pending"
