#!/usr/bin/env bash
# The whole test suite, on SQLite and then on a throwaway PostgreSQL cluster.
# Installs what it needs (Python dependencies, PostgreSQL, Chromium) when missing.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k victims`).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 \
  | grep -v -E '^(WARNING: Location|DEPRECATION)' || true

if ! command -v chromium >/dev/null 2>&1; then
  echo "calp: installing Chromium for the browser tests (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null
fi

PG_SERVER=$(bash scripts/pg-cluster.sh)
echo "calp: PostgreSQL test server at ${PG_SERVER}"

mkdir -p artifacts
status=0
CALP_TEST_DB=sqlite .venv/bin/pytest --junitxml=artifacts/junit-sqlite.xml "$@" || status=$?
CALP_TEST_DB=postgresql CALP_TEST_PG_SERVER="$PG_SERVER" \
  .venv/bin/pytest --junitxml=artifacts/junit-postgresql.xml "$@" || status=$?

.venv/bin/python scripts/summarise_junit.py artifacts/junit-sqlite.xml artifacts/junit-postgresql.xml
exit $status
