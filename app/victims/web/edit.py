"""Edit a victim (profile, violence history, route, identity) under the version check; a
conflicting save keeps what this person typed over what someone else stored meanwhile."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.db import SessionDep
from app.errors import StaleVersion
from app.victims import service
from app.victims.identity import IDENTITY_FIELDS
from app.victims.schemas import VictimRead, VictimUpdate
from app.victims.service import PROFILE_FIELDS, VIOLENCE_TYPES
from app.web.forms import PostedForm, attempt, nested, parse_id, remap, values_of
from app.web.respond import redirect_to, render
from app.web.session import WebUser

router = APIRouter()
MIN_ROUTE_ROWS = 4
MAX_ROUTE_ROWS = 20  # the schema's limit
MERGED = (
    "Otra persona guardó cambios en esta víctima mientras usted la editaba. Sus cambios "
    "siguen en el formulario y los demás campos muestran ahora los datos guardados por la "
    "otra persona. Revíselos y vuelva a guardar."
)
CLASH = "Otra persona también cambió este dato: se muestra lo que usted escribió."
OPTIONAL = tuple(
    f for f in PROFILE_FIELDS if f not in ("intake_on", "sex", "nationality", "typology")
)


def _values(victim: VictimRead) -> dict[str, str]:
    """The stored record as the form's strings (identity only when the caller may read it)."""
    values: dict[str, str] = {
        "version": str(victim.version),
        "age_at_intake": str(victim.age_at_intake),
    }
    for name in PROFILE_FIELDS:
        value = getattr(victim, name)
        if isinstance(value, bool):
            values[name] = "true" if value else "false"
        elif isinstance(value, date):
            values[name] = value.isoformat()
        elif value is not None:
            values[name] = str(value)
    for t in VIOLENCE_TYPES:
        values[f"violence_history.{t}"] = getattr(victim.violence_history, t).value
    for i, leg in enumerate(victim.route):
        values[f"route.{i}.stage"] = leg.stage.value
        values[f"route.{i}.country"] = leg.country
        if leg.region:
            values[f"route.{i}.region"] = leg.region.value
    for i in range(len(victim.route), _route_rows(len(victim.route))):
        values[f"route.{i}.stage"] = (
            "exploitation" if i == _route_rows(len(victim.route)) - 1 else "transit"
        )
    if victim.identity is not None:
        for name in IDENTITY_FIELDS:
            value = getattr(victim.identity, name)
            if value is not None:
                values[f"identity.{name}"] = str(getattr(value, "value", value))
        if victim.identity.birth_date:
            values["birth_date"] = victim.identity.birth_date.isoformat()
    return values


def _route_rows(legs: int) -> int:
    return min(MAX_ROUTE_ROWS, max(MIN_ROUTE_ROWS, legs + 1))


def _rows_in(form: Mapping[str, Any]) -> int:
    indexes = [
        int(k.split(".")[1]) for k in form if k.startswith("route.") and k.split(".")[1].isdigit()
    ]
    return min(MAX_ROUTE_ROWS, max([MIN_ROUTE_ROWS - 1, *indexes]) + 1)


def _update_body(form: Any, stored: VictimRead) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Every field of the form is sent: an emptied input clears the stored value."""
    body, rows_of = nested(form, lists={"route": "country"}, skip=("csrf_token", "seen"))
    for name in (*OPTIONAL, "intake_on", "sex", "nationality", "typology", "birth_date"):
        body.setdefault(name, None)
    if body.get("birth_date") and body.get("age_at_intake") == str(stored.age_at_intake):
        # The age shown was the stored one: let the (maybe new) birth date decide it.
        body["age_at_intake"] = None
    body.setdefault("age_at_intake", None)
    identity = body.get("identity") or {}
    # Unchanged (and never-filled) fields are no-ops in the service; emptied ones clear.
    body["identity"] = {name: identity.get(name) for name in IDENTITY_FIELDS}
    return body, rows_of


def _digest(value: object) -> str:
    return hashlib.sha256(str(value).encode()).hexdigest()[:12]


def fingerprint(values: Mapping[str, object]) -> str:
    """Digests of the values a form showed, posted back so a conflict can tell the fields
    this person changed from those someone else changed meanwhile."""
    return json.dumps(
        {
            k: _digest(v)
            for k, v in values.items()
            if v and k not in ("version", "csrf_token", "seen")
        },
        sort_keys=True,
    )


def merge(
    typed: Mapping[str, Any], seen_json: str, current: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """What this person changed, over what is stored now; fields both changed are flagged."""
    try:
        seen = json.loads(seen_json)
    except ValueError:
        seen = {}
    if not isinstance(seen, dict):
        seen = {}
    empty = _digest("")
    merged: dict[str, Any] = {}
    clashes: dict[str, str] = {}
    for name in (set(typed) | set(current)) - {"version", "csrf_token", "seen"}:
        mine, theirs = typed.get(name, ""), current.get(name, "")
        base = seen.get(name, empty)
        if _digest(mine) != base:
            merged[name] = mine
            if _digest(theirs) != base and theirs != mine:
                clashes[name] = CLASH
        else:
            merged[name] = theirs
    merged["version"] = current["version"]
    return merged, clashes


def _edit_page(
    request: Request,
    victim: VictimRead,
    values: Mapping[str, object],
    errors: dict[str, str],
    rows: int,
    status: int = 200,
    *,
    seen: str,
    conflict: str | None = None,
) -> Response:
    return render(
        request,
        "victims/edit.html",
        {
            "victim": victim,
            "values": values,
            "errors": errors,
            "rows": range(rows),
            "violence": VIOLENCE_TYPES,
            "seen": seen,
            "conflict": conflict,
        },
        status=status,
    )


@router.get("/victimas/{victim_id}/editar", name="victims:edit")
def edit_form(request: Request, session: SessionDep, user: WebUser, victim_id: str) -> Response:
    """The victim's record in a form (identity included: its read is audited)."""
    victim = service.VICTIMS.writable(session, user, parse_id(victim_id))
    detail = service.get_victim_detail(session, user, victim.id)
    values = _values(detail)
    return _edit_page(
        request, detail, values, {}, _route_rows(len(detail.route)), seen=fingerprint(values)
    )


@router.post("/victimas/{victim_id}/editar", name="victims:update")
def edit_submit(
    request: Request, session: SessionDep, user: WebUser, victim_id: str, form: PostedForm
) -> Response:
    """Save the changes; a stale version keeps what was typed and explains the conflict."""
    victim = service.VICTIMS.writable(session, user, parse_id(victim_id))
    stored = service.build_victim_read(session, victim)
    body, rows_of = _update_body(form, stored)
    try:
        _, errors = attempt(
            session,
            lambda: service.update_victim(
                session, victim, VictimUpdate.model_validate(body), actor=user
            ),
        )
    except StaleVersion:
        current = service.get_victim_detail(session, user, victim.id)  # shown: audited read
        now = _values(current)
        values, clashes = merge(values_of(form), str(form.get("seen") or ""), now)
        return _edit_page(
            request,
            current,
            values,
            clashes,
            max(_rows_in(form), _route_rows(len(current.route))),
            status=409,
            seen=fingerprint(now),
            conflict=MERGED,
        )
    if errors:
        return _edit_page(
            request,
            stored,
            values_of(form),
            remap(errors, rows_of),
            _rows_in(form),
            status=422,
            seen=str(form.get("seen") or ""),
        )
    return redirect_to(request, "victims:detail", notice="guardado", victim_id=victim.id)
