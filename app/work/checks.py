"""Field checks of case work: collect every problem, then one 422 names all of them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.db import today
from app.error_texts import ErrorCode
from app.errors import InvalidInput
from app.victims.models import Victim


class Problems:
    """Collects field-level problems so one 422 reports all of them at once."""

    def __init__(self) -> None:
        self.items: list[tuple[str, ErrorCode]] = []

    def add(self, field: str, code: ErrorCode) -> None:
        self.items.append((field, code))

    def required(self, changes: Mapping[str, Any], names: Iterable[str]) -> None:
        """A partial update may leave a required field out, but not set it to null."""
        for name in names:
            if name in changes and changes[name] is None:
                self.add(name, "required")

    def past_date(
        self,
        field: str,
        value: date | None,
        *,
        not_before: date | None = None,
        not_before_code: ErrorCode = "before_case_opening",
    ) -> None:
        """`value` must not be in the future, nor before `not_before` when given."""
        if value is None:
            return
        if value > today():
            self.add(field, "date_in_future")
        elif not_before is not None and value < not_before:
            self.add(field, not_before_code)

    def not_before(
        self, field: str, value: date | None, floor: date | None, code: ErrorCode
    ) -> None:
        if value is not None and floor is not None and value < floor:
            self.add(field, code)

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInput.of(self.items)


def ensure_past_date(
    field: str,
    value: date | None,
    *,
    not_before: date | None,
    not_before_code: ErrorCode = "before_case_opening",
) -> None:
    """The one date of a request: 422 when it is in the future or before `not_before`."""
    problems = Problems()
    problems.past_date(field, value, not_before=not_before, not_before_code=not_before_code)
    problems.raise_if_any()


def case_opened_on(session: Session, victim: Victim) -> date:
    """The opening date of the victim's case: the floor of every work date."""
    # One column, not the Case entity: loading the entity decrypts its free text too.
    opened_on: date = session.execute(
        select(Case.opened_on).where(Case.id == victim.case_id)
    ).scalar_one()
    return opened_on
