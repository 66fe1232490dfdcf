"""Form helpers: read a posted form, validate it with the API's schemas, explain errors in Spanish.

Every error names its rule by a code (pydantic's `type`, or the code a service raised); the
Spanish text beside the field is that code's text in app.error_texts.

A form that fails is shown again with status 422, each message beside its field and every
value as typed (except passwords, which templates never echo).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.catalogs import label
from app.error_texts import error_text
from app.errors import AppError, NotFound
from app.templating import spanish_date

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

# Rules on a whole model (or on a whole row of a list) name no input in `loc`: the input
# their text belongs beside ("." + name: that input of the row).
FIELD_OF_RULE: dict[str, str] = {
    "age_or_birth_date_required": "age_at_intake",
    "trafficking_purpose_mismatch": "trafficking_purpose",
    "region_only_peru": ".region",
}


async def read_form(request: Request) -> FormData:
    return await request.form()


PostedForm = Annotated[FormData, Depends(read_form)]


def field_name(loc: Iterable[Any]) -> str:
    """`("route", 0, "region")` → `route.0.region` (templates look errors up by this)."""
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "__all__"


def _beside(field: str, code: str) -> str:
    """The input a problem is shown beside (see FIELD_OF_RULE)."""
    target = FIELD_OF_RULE.get(code)
    if target is None:
        return field
    if target.startswith("."):
        return field if field.endswith(target) else field + target
    return target if field == "__all__" else field


def errors_of(exc: ValidationError | AppError) -> dict[str, str]:
    """Field → the Spanish text of its first problem, from a schema error or a service's."""
    out: dict[str, str] = {}
    if isinstance(exc, ValidationError):
        for err in exc.errors():
            field = _beside(field_name(err["loc"]), err["type"])
            out.setdefault(field, error_text(err["type"], err.get("ctx")))
        return out
    if isinstance(exc.detail, list):
        for err in exc.detail:
            code = str(err.get("type", ""))
            field = _beside(field_name(err.get("loc", ())), code)
            out.setdefault(field, str(err.get("msg") or error_text(code)))
    else:
        out["__all__"] = str(exc.detail)  # the text of exc.code
    return out


def conflict_text(exc: AppError) -> str:
    """A 409 explained on the form it came from, which is shown again as typed."""
    return error_text("record_stale_kept") if exc.code == "record_stale" else str(exc.detail)


def clean(value: str | None) -> str | None:
    """Empty inputs mean "not given" (null), as the API's optional fields expect."""
    if value is None:
        return None
    value = value.strip()
    return value or None


# Never part of a record: the CSRF token and a create form's single-use token (app.web.once).
NOT_DATA = ("csrf_token", "submission_token")


def values_of(form: FormData, *, skip: Iterable[str] = (*NOT_DATA, "password")) -> dict[str, Any]:
    """The form as typed, to show it again (lists for repeated names)."""
    skipped = set(skip)
    out: dict[str, Any] = {}
    for key in form:
        if key in skipped:
            continue
        items = [v for v in form.getlist(key) if isinstance(v, str)]
        out[key] = items if len(items) > 1 else (items[0] if items else "")
    return out


def validate(schema: type[M], data: dict[str, Any]) -> M:
    return schema.model_validate(data)


def attempt(session: Session, action: Callable[[], Any]) -> tuple[Any, dict[str, str]]:
    """Run a validate-and-save step; (result, {}) or (None, errors by field).

    The step runs in a savepoint: a rule broken halfway leaves nothing half-written behind
    when the page is shown again (the request still commits at its end).
    """
    try:
        with session.begin_nested():
            return action(), {}
    except ValidationError as exc:
        return None, errors_of(exc)
    except AppError as exc:
        if exc.status_code != 422:
            raise
        return None, errors_of(exc)


def nested(
    form: FormData, *, lists: dict[str, str] | None = None, skip: Iterable[str] = NOT_DATA
) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Dotted names (`route.0.country`, `identity.phone`) → the nested body a schema expects.

    Empty inputs are left out (null). For each list in `lists`, a row counts only when its
    key field is filled; the second value maps kept rows back to form rows, so errors land
    beside the right inputs (see `remap`).
    """
    skipped = set(skip)
    body: dict[str, Any] = {}
    for key in form:
        if key in skipped:
            continue
        value = clean(str(form.get(key) or ""))
        if value is None:
            continue
        node = body
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    rows_of: dict[str, list[int]] = {}
    for name, key_field in (lists or {}).items():
        rows = body.get(name, {})
        kept = sorted(
            (
                int(i)
                for i, row in rows.items()
                if i.isdigit() and isinstance(row, dict) and row.get(key_field)
            )
        )
        body[name] = [rows[str(i)] for i in kept]
        rows_of[name] = kept
    return body, rows_of


def remap(errors: dict[str, str], rows_of: dict[str, list[int]]) -> dict[str, str]:
    """Errors on `route.1.region` of the kept rows → the form row that produced it."""
    out: dict[str, str] = {}
    for field, message in errors.items():
        parts = field.split(".")
        if len(parts) >= 2 and parts[0] in rows_of and parts[1].isdigit():
            kept = rows_of[parts[0]]
            index = int(parts[1])
            if index < len(kept):
                parts[1] = str(kept[index])
        out.setdefault(".".join(parts), message)
    return out


def parse_id(value: str) -> uuid.UUID:
    """A record id from a URL; anything malformed is simply not found (404)."""
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise NotFound() from exc


def known(table: Mapping[str, T], key: str) -> T:
    """An entry of a table named by a URL segment; an unknown name is not found (404)."""
    entry = table.get(key)
    if entry is None:
        raise NotFound()
    return entry


def posted_version(form: FormData) -> int | None:
    """The record version a form was shown with (None when missing or not a number)."""
    version = str(form.get("version") or "")
    return int(version) if version.isdigit() else None


@dataclass(frozen=True)
class StoredField:
    """How a stored field reads in an edit conflict: its label, and its catalog or date."""

    label: str
    catalog: str | None = None
    is_date: bool = False

    def shown(self, text: str) -> str:
        """A stored value as a person reads it (catalog label, "19 dic 2025", "(vacío)")."""
        if not text:
            return "(vacío)"
        if self.catalog:
            return label(self.catalog, text)
        if self.is_date:
            return spanish_date(date.fromisoformat(text))
        return text


def edit_conflict(
    stored: Mapping[str, str],
    typed: Mapping[str, Any],
    fields: Mapping[str, StoredField],
    *,
    more: Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The context of an edit form shown again after a 409 (someone saved first): what this
    person typed, with the stored version (saving again applies it on purpose), the message,
    and `theirs`, what the other person stored in each field that differs (`more`: lines of
    the caller's own, such as lists that changed)."""
    theirs = [
        (field.label, field.shown(stored.get(name, "")))
        for name, field in fields.items()
        if stored.get(name, "") != typed.get(name, "")
    ]
    return {
        "values": {**typed, "version": stored["version"]},
        "conflict": error_text("record_stale_kept"),
        "theirs": [*theirs, *more],
    }
