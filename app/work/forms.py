"""What a work kind's new-record form is made of. One page route serves them all
(app.work.new_web, since its URL names the kind); each domain's web module declares its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.users.models import User


@dataclass(frozen=True)
class WorkForm:
    """A new-record form: its template, how it saves the posted body for a victim, the
    values it opens with, its repeated rows (list name -> the field that makes a row), and
    what else its page shows about the victim (read each time the form is shown)."""

    template: str
    save: Callable[[Session, Any, dict[str, Any], User], object]
    defaults: Callable[[Any, User], dict[str, Any]]  # (victim, author) -> opening values
    lists: dict[str, str] = field(default_factory=dict)
    context: Callable[[Session, Any], dict[str, Any]] | None = None

    def extra(self, session: Session, victim: Any) -> dict[str, Any]:
        return self.context(session, victim) if self.context is not None else {}
