"""Field checks of case work: collect every problem, then one 422 names all of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.db import today
from app.errors import InvalidInput
from app.victims.models import Victim

FUTURE_DATE = "La fecha no puede ser posterior a hoy."
BEFORE_OPENING = "La fecha no puede ser anterior a la apertura del caso."
REQUIRED = "Este campo es obligatorio."


class Problems:
    """Collects field-level problems so one 422 reports all of them at once."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append((field, message))

    def required(self, changes: Mapping[str, Any], names: Iterable[str]) -> None:
        """A partial update may leave a required field out, but not set it to null."""
        for name in names:
            if name in changes and changes[name] is None:
                self.add(name, REQUIRED)

    def past_date(
        self,
        field: str,
        value: date | None,
        *,
        not_before: date | None = None,
        not_before_msg: str = BEFORE_OPENING,
    ) -> None:
        """`value` must not be in the future, nor before `not_before` when given."""
        if value is None:
            return
        if value > today():
            self.add(field, FUTURE_DATE)
        elif not_before is not None and value < not_before:
            self.add(field, not_before_msg)

    def not_before(self, field: str, value: date | None, floor: date | None, message: str) -> None:
        if value is not None and floor is not None and value < floor:
            self.add(field, message)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        field, message = self.items[0]
        err = InvalidInput(field, message)
        err.detail = [{"loc": f.split("."), "msg": m, "type": "value_error"} for f, m in self.items]
        raise err


def case_opened_on(session: Session, victim: Victim) -> date:
    """The opening date of the victim's case: the floor of every work date."""
    # One column, not the Case entity: loading the entity decrypts its free text too.
    opened_on: date = session.execute(
        select(Case.opened_on).where(Case.id == victim.case_id)
    ).scalar_one()
    return opened_on
