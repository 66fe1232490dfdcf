"""Single-use form submissions: the token each create form carries, and what it made."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, NotData, UTCDateTime


class SubmissionToken(NotData, Base):
    """A create form's token, recorded in the same transaction as the record it created.

    The primary key is what makes a second submit harmless, even one arriving at the same
    moment: only one transaction can insert the token, the other one waits for it and then
    finds the record's page in `url`. Rows are only needed while a form could be resent,
    so they are deleted a day after (app.web.submit).
    """

    __tablename__ = "submission_tokens"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The page the first submit went to (a local path: ids, never names).
    url: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
