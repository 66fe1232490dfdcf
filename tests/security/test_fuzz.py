"""Schemathesis over every operation of /openapi.json, signed in: no 5xx, responses match.

Bounded: a few examples per operation (CALP_FUZZ_EXAMPLES, default 5), no shrinking, as a
staff member whose team holds records (real ids are fed to path parameters half the time)
and then as an admin. Failures are collected over all operations and reported together,
each with the request that caused it.
"""

from __future__ import annotations

import os
import re

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from app.catalogs import Role
from app.db import make_session_factory
from app.main import create_app
from tests.conftest import make_settings
from tests.factories import PASSWORD, make_user
from tests.security.builders import seed

EXAMPLES = int(os.environ.get("CALP_FUZZ_EXAMPLES", "3"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _token(client: TestClient, username: str) -> dict[str, str]:
    resp = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def _summary(exc: BaseException) -> str:
    inner = getattr(exc, "exceptions", None) or [exc]
    return "; ".join(f"{type(e).__name__}: {' '.join(str(e).split())[:300]}" for e in inner)


def _fuzz(schema, headers: dict[str, str], ids: dict[str, str]) -> list[str]:
    failures: list[str] = []
    for result in schema.get_all_operations():
        op = result.ok()
        names = re.findall(r"{(\w+)}", op.path)
        known = {n: ids[n] for n in names if n in ids}
        strategy = op.as_strategy()
        if known:
            strategy = st.one_of(op.as_strategy(path_parameters=known), strategy)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case) -> None:
            try:
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(
                    f"{case.operation.label}: {_summary(exc)}\n"
                    f"  request: {case.as_curl_command(headers=headers)} "
                    f"body={case.body!r:.300}"
                )
                raise

        try:
            run()
        except (Exception, BaseExceptionGroup):  # noqa: S112 - recorded above; go on with the next operation
            continue
    return failures


def test_fuzz_every_operation_as_staff_and_admin(fresh_db):
    url, engine = fresh_db
    seeded = seed(engine)
    with make_session_factory(engine)() as s:
        spare = make_user(s, role=Role.lawyer)  # the admin fuzzes this account, not its own
        s.commit()
    app = create_app(make_settings(url))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    with TestClient(app) as client:
        from app.users.models import User

        with make_session_factory(engine)() as s:
            staff_name = s.get_one(User, seeded.staff_id).username
            admin_name = s.get_one(User, seeded.admin_id).username
        staff, admin = _token(client, staff_name), _token(client, admin_name)
    ids = {
        "case_id": str(seeded.open_case_id),
        "victim_id": str(seeded.open_victim_id),
        "user_id": str(spare.id),
    }
    failures = _fuzz(schema, staff, ids) + _fuzz(schema, admin, ids)
    failures = list(dict.fromkeys(failures))  # Hypothesis replays a failing example
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
