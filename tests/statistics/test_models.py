"""Each statistics endpoint's JSON body is exactly its figure model's dump.

The body validates against its model (`app.statistics.schemas`, closed: nothing missing,
nothing added) and dumping the validated model gives the same bytes back, so the model is
the whole contract of the body; it also validates against the OpenAPI document's shape.
"""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from app.etag import encode_model
from app.statistics.schemas import CountTable, Report
from tests.statistics.models import MODELS, model_of, response_model_of

FILTERS = {
    "all": {},
    "years": {"from": 2023, "to": 2025},
    "team": {"team": "cusco"},
    "no-data": {"from": 1995, "to": 1996},
}


def _body(demo_db, path: str, params: dict[str, object]) -> bytes:
    url, _, polarity = f"/api/v1/stats/{path}".partition("?polarity=")
    resp = demo_db.client.get(
        url, params={**params, **({"polarity": polarity} if polarity else {})}
    )
    assert resp.status_code == 200, resp.text
    return resp.content


@pytest.mark.parametrize("f", FILTERS.values(), ids=list(FILTERS))
@pytest.mark.parametrize("path", list(MODELS))
def test_the_body_is_its_model_dumped(demo_db, path, f):
    body = _body(demo_db, path, f)
    model = MODELS[path]
    figures = model.model_validate_json(body)
    assert encode_model(figures).body == body
    assert figures.model_dump_json() == body.decode("utf-8")
    # The shape the OpenAPI document shows (response_model) accepts it too.
    response_model_of(path.partition("?")[0]).model_validate_json(body)


def test_the_report_holds_each_table_as_its_own_model(demo_db):
    report = Report.model_validate_json(_body(demo_db, "report", {}))
    singles = [
        model_of(p).model_validate_json(_body(demo_db, p, {}))
        for p in MODELS
        if p not in ("report", "data-quality", "outcomes")
    ]
    assert [type(t) for t in report.tables] == [type(t) for t in singles]
    assert report.tables == singles


def test_a_body_with_a_key_missing_added_or_moved_does_not_pass(demo_db):
    body = _body(demo_db, "typology", {})
    data = json.loads(body)
    missing = {k: v for k, v in data.items() if k != "unit_label"}
    with pytest.raises(ValidationError):
        CountTable.model_validate_json(json.dumps(missing))
    with pytest.raises(ValidationError):
        CountTable.model_validate_json(json.dumps({**data, "extra": 1}))
    # Tabla 15 carries one field more than Tablas 12-14: not a CountTable.
    with pytest.raises(ValidationError):
        CountTable.model_validate_json(_body(demo_db, "capture-modality", {}))
    # The key order is part of the bytes (and the ETag): a reordered body dumps differently.
    moved = json.dumps(dict(reversed(data.items())), ensure_ascii=False, separators=(",", ":"))
    assert encode_model(CountTable.model_validate_json(moved)).body == body != moved.encode()


HEAD = "table title unit unit_label denominator denominator_label from to team"
INDICATOR_HEAD = "table sheet title unit unit_label denominator denominator_label from to team"
GROUP = "name label rows total not_recorded"
# The key order of each body as the endpoints have always sent it: table, group and row keys.
# The bytes (and so the ETags clients hold) depend on it.
KEY_ORDER = {
    "cases-by-team": (f"{HEAD} groups", GROUP, "key label cases victims"),
    "cases-by-year": (f"{HEAD} groups", GROUP, "key label cases victims"),
    "victim-profile": (f"{HEAD} groups", GROUP, "key label count percent"),
    "typology": (f"{HEAD} groups", GROUP, "key label count percent"),
    "trafficking-purpose": (f"{HEAD} groups", GROUP, "key label count percent"),
    "capture-modality": (f"{HEAD} groups trafficking_victims", GROUP, "key label count percent"),
    "violence-history": (f"{HEAD} groups columns", f"{GROUP} unknown", "key label counts percents"),
    "practices?polarity=good": (f"{HEAD} polarity groups", GROUP, "key label count percent"),
    "practices?polarity=bad": (f"{HEAD} polarity groups", GROUP, "key label count percent"),
    "data-quality": (
        f"{INDICATOR_HEAD} columns groups",
        GROUP,
        "key label total counts denominators percents",
    ),
    "outcomes": (
        f"{INDICATOR_HEAD} groups",
        f"{GROUP} unit unit_label",
        "key label count percent",
        "key label count percent outcomes",  # referrals by institution
    ),
}


def _key_orders(table: dict) -> set[str]:
    groups = {" ".join(g) for g in table["groups"]}
    rows = {" ".join(r) for g in table["groups"] for r in g["rows"]}
    return {" ".join(table), *groups, *rows}


@pytest.mark.parametrize("path", list(KEY_ORDER))
def test_the_keys_come_in_their_published_order(demo_db, path):
    assert _key_orders(json.loads(_body(demo_db, path, {}))) == set(KEY_ORDER[path])


def test_the_report_keys_come_in_their_published_order(demo_db):
    report = json.loads(_body(demo_db, "report", {}))
    assert list(report) == ["from", "to", "team", "tables"]
    paths = [p for p in KEY_ORDER if p not in ("data-quality", "outcomes")]
    assert [_key_orders(t) for t in report["tables"]] == [set(KEY_ORDER[p]) for p in paths]
