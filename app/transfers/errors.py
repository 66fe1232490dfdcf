"""Errors of the transfers domain (codes name states and teams' roles, never values)."""

from __future__ import annotations

from app.errors import Conflict, NotAllowed, NotFound


class TransferNotFound(NotFound):
    code = "transfer_not_found"


class TransferPendingExists(Conflict):
    code = "transfer_pending_exists"


class TransferNotPending(Conflict):
    code = "transfer_not_pending"


class TransferCaseUnavailable(Conflict):
    code = "transfer_case_unavailable"


class ReceivingTeamOnly(NotAllowed):
    code = "transfer_receiving_team_only"


class SendingTeamOnly(NotAllowed):
    code = "transfer_sending_team_only"
