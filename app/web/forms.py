"""Form helpers: read a posted form, validate it with the API's schemas, explain errors in Spanish.

A form that fails is shown again with status 422, each message beside its field and every
value as typed (except passwords, which templates never echo).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.errors import AppError, NotFound
from app.web.messages import translate

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

MESSAGES = {
    "missing": "Este campo es obligatorio.",
    "enum": "Elija una opción de la lista.",
    "literal_error": "Elija una opción de la lista.",
    "date_from_datetime_parsing": "Escriba una fecha válida (AAAA-MM-DD).",
    "date_parsing": "Escriba una fecha válida (AAAA-MM-DD).",
    "date_type": "Escriba una fecha válida (AAAA-MM-DD).",
    "int_parsing": "Escriba un número entero.",
    "int_type": "Escriba un número entero.",
    "bool_parsing": "Elija sí o no.",
    "uuid_parsing": "Elija una opción de la lista.",
    "string_too_short": "El texto es demasiado corto.",
    "string_too_long": "El texto es demasiado largo.",
    "string_pattern_mismatch": "El formato no es válido.",
    "greater_than_equal": "El número es demasiado pequeño.",
    "less_than_equal": "El número es demasiado grande.",
    "greater_than": "El número es demasiado pequeño.",
    "less_than": "El número es demasiado grande.",
    "too_short": "Añada al menos un elemento.",
    "extra_forbidden": "Campo no admitido.",
    "date_future": "La fecha no puede estar en el futuro.",
}


async def read_form(request: Request) -> FormData:
    return await request.form()


PostedForm = Annotated[FormData, Depends(read_form)]


def field_name(loc: Iterable[Any]) -> str:
    """`("route", 0, "region")` → `route.0.region` (templates look errors up by this)."""
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "__all__"


def spanish_message(error_type: str, message: str) -> str:
    if error_type in MESSAGES:
        return MESSAGES[error_type]
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    return message or "Valor no válido."


def errors_of(exc: ValidationError | AppError) -> dict[str, str]:
    """Field → first Spanish message, from a schema error or an InvalidInput of a service."""
    out: dict[str, str] = {}
    if isinstance(exc, ValidationError):
        for err in exc.errors():
            out.setdefault(field_name(err["loc"]), spanish_message(err["type"], err["msg"]))
        return out
    detail = exc.detail
    if isinstance(detail, list):
        for err in detail:
            out.setdefault(
                field_name(err.get("loc", ())),
                spanish_message(str(err.get("type", "")), str(err.get("msg", ""))),
            )
    else:
        out["__all__"] = str(detail)
    return out


def clean(value: str | None) -> str | None:
    """Empty inputs mean "not given" (null), as the API's optional fields expect."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def values_of(
    form: FormData, *, skip: Iterable[str] = ("csrf_token", "password")
) -> dict[str, Any]:
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
        return None, translate(errors_of(exc))
    except AppError as exc:
        if exc.status_code != 422:
            raise
        return None, translate(errors_of(exc))


def nested(
    form: FormData, *, lists: dict[str, str] | None = None, skip: Iterable[str] = ("csrf_token",)
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
        raise NotFound("Not found.") from exc


def known(table: Mapping[str, T], key: str) -> T:
    """An entry of a table named by a URL segment; an unknown name is not found (404)."""
    entry = table.get(key)
    if entry is None:
        raise NotFound("Not found.")
    return entry


def posted_version(form: FormData) -> int | None:
    """The record version a form was shown with (None when missing or not a number)."""
    version = str(form.get("version") or "")
    return int(version) if version.isdigit() else None
