"""What the transfer routes take from their path: the case a transfer is proposed for
(writable: staff of its team) and the transfer a step applies to."""

# No `from __future__ import annotations`: FastAPI reads these annotations at run time.

import uuid
from typing import Annotated

from fastapi import Path

from app.cases.deps import WritableCase

__all__ = ["ProposedCase", "TransferId"]

ProposedCase = WritableCase
TransferId = Annotated[uuid.UUID, Path(description="The transfer's id")]
