"""Schemathesis over every operation of /openapi.json, as its CLI runs with `--checks all`.

Schemathesis' own engine runs its phases (examples, fuzzing with schema-valid and
schema-violating data, stateful sequences that reuse what earlier calls created) with every
check enabled, signed in as a psychologist whose team holds records and as a coordinator of
that team; real ids are fed to path parameters half the time. Sign-in is left out: random
credentials would throttle the address and leave the rest of the run unauthenticated, and
so is ending one's own sessions; each run must end with its token still accepted.

Every adjustment to `--checks all` is explained in the README ("Pruebas de seguridad"). Bounded
by CALP_FUZZ_EXAMPLES (examples per operation and phase, default 5); CALP_FUZZ_FULL=1 adds the
coverage phase (boundary values and undeclared methods: thousands of requests per role).
Failures of all operations are collected and reported together, each with its request.
"""

from __future__ import annotations

import os
from collections import Counter

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from app.catalogs import Role, Team
from app.db import make_session_factory
from app.main import create_app
from app.users.models import User
from tests.conftest import make_settings
from tests.factories import PASSWORD, make_user
from tests.security.builders import seed

EXAMPLES = int(os.environ.get("CALP_FUZZ_EXAMPLES", "5"))
FULL = os.environ.get("CALP_FUZZ_FULL") == "1"

# The TOML the CLI reads from schemathesis.toml; `--checks all` is `[checks] enabled = true`.
CONFIG = """
continue-on-failure = true
workers = 1

[headers]
Authorization = "Bearer {token}"

[generation]
mode = "all"
max-examples = {examples}
deterministic = true
no-shrink = true
database = "none"
# A NUL in any text is refused by design (422 before routing; tests/security/test_nul_bytes.py
# tries every text input): generating them would only exercise that one refusal.
allow-x00 = false

[checks]
enabled = true

[checks.positive_data_acceptance]
# Schema-valid data can still break a rule JSON Schema cannot state (a date before the
# case's opening, a year range reversed, a wrong one-time code, a stale cursor): the
# contract answers those 422 validation_error (api.md). Everything else stays refused.
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]

[phases.coverage]
enabled = {full}

[dictionaries.case_ids]
values = {case_ids}
[dictionaries.victim_ids]
values = {victim_ids}
[dictionaries.user_ids]
values = {user_ids}

[parameters]
"path.case_id" = {{ dictionary = "case_ids", probability = 0.5 }}
"path.victim_id" = {{ dictionary = "victim_ids", probability = 0.5 }}
"path.user_id" = {{ dictionary = "user_ids", probability = 0.5 }}

# Sign-in (random credentials throttle and lock: the run would end unauthenticated) and
# signing oneself out everywhere (it ends the run's own token) are not fuzzed.
[[operations]]
include-path-regex = "^/api/v1/auth/(token|logout-all)$"
enabled = false
"""


def _token(client: TestClient, username: str) -> str:
    resp = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["access_token"])


def _quoted(values: list[object]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def _fuzz(app: FastAPI, token: str, ids: dict[str, list[object]]) -> tuple[list[str], Counter[int]]:
    toml = CONFIG.format(
        token=token,
        examples=EXAMPLES,
        full=str(FULL).lower(),
        **{name: _quoted(values) for name, values in ids.items()},
    )
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", app, config=SchemathesisConfig.from_str(toml)
    )
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    statuses[interaction.response.status_code // 100 * 100] += 1
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    case = event.recorder.cases[case_id].value
                    message = " ".join(failure.message.split())[:300]
                    failures.append(
                        f"{check.name}: {failure.operation}: {failure.title}: {message}\n"
                        f"  request: {case.as_curl_command()[:500]}"
                    )
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(f"error: {getattr(event, 'label', '')}: {event!r:.500}")
    return failures, statuses


def test_fuzz_every_operation_as_psychologist_and_coordinator(fresh_db):
    url, engine = fresh_db
    seeded = seed(engine)
    with make_session_factory(engine)() as s:
        coordinator = make_user(s, role=Role.coordinator, teams=[Team.lima])
        spare = make_user(s, role=Role.lawyer)
        s.commit()
        names = [s.get_one(User, seeded.staff_id).username, coordinator.username]
        ids: dict[str, list[object]] = {
            "case_ids": [seeded.open_case_id, seeded.closed_case_id],
            "victim_ids": [seeded.open_victim_id, seeded.closed_victim_id],
            "user_ids": [spare.id],
        }
    app = create_app(make_settings(url))
    with TestClient(app) as client:
        tokens = [_token(client, name) for name in names]
    failures: list[str] = []
    for token in tokens:
        found, statuses = _fuzz(app, token, ids)
        failures += found
        # Not vacuous: hundreds of calls, many of them served (not only refused).
        assert sum(statuses.values()) > 200 and statuses[200] > 30, statuses
        with TestClient(app) as client:  # a run that signed itself out proved nothing after
            me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, "the fuzzed calls ended the run's own session"
    failures = list(dict.fromkeys(failures))  # a failing example is replayed
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
