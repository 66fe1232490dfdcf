#!/usr/bin/env bash
# The lint gate: ruff check, ruff format --check (whole repository, as configured in
# pyproject.toml) and mypy --strict on app/. Run first by scripts/test.sh (so by .ci/run)
# and by the pre-commit hooks. Reports every failing step, exits 1 if any failed.
# A fresh clone's first run takes ~15 s (mypy builds .mypy_cache), later ones ~1 s.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/ruff ] || [ ! -x .venv/bin/mypy ]; then
  bash scripts/venv.sh || exit 2
fi
failed=()
.venv/bin/ruff check --quiet . || failed+=("ruff check")
.venv/bin/ruff format --check --quiet . || failed+=("ruff format --check (fix: .venv/bin/ruff format .)")
mypy_out=$(.venv/bin/mypy --strict app 2>&1) || failed+=("mypy --strict app")
printf '%s\n' "$mypy_out" | grep -v '^Success: ' || true

if [ ${#failed[@]} -gt 0 ]; then
  printf 'calp: lint FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "calp: lint passed (ruff check, ruff format, mypy --strict)"
