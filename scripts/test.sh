#!/usr/bin/env bash
# Lint (scripts/lint.sh), then the whole test suite, on SQLite and then on a throwaway
# PostgreSQL cluster.
# Installs what it needs (Python dependencies, PostgreSQL, Chromium) when missing.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k victims`).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/venv.sh  # .venv at the versions of constraints.txt
# Lint first: an unformatted file or a type error fails the run before any test starts.
if ! bash scripts/lint.sh; then
  echo "calp: not running the tests: lint failed (see above)" >&2
  exit 1
fi

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
