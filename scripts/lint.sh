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

# The duplicate-pair budget of docs/contributing.md, where the `duplicates` tool is on PATH
# (developers' machines): more pairs than the budget means a change wrote something twice.
# 70 since the caseload, transfers, links, documents, agenda and victim-file domains: about
# 29 of the pairs are routers listing the same endpoint shapes (one function per endpoint,
# the house rule); lower it whenever a change removes pairs, never raise it to fit one.
DUPLICATE_BUDGET=70
if command -v duplicates >/dev/null 2>&1; then
  dup_line=$(duplicates --repo app --seconds 30 2>/dev/null | head -n 1)
  case "$dup_line" in
    incomplete*|"") echo "calp: duplicates did not finish; pair budget not checked" >&2 ;;
    "no duplicates"*) ;;
    *)
      pairs=${dup_line%% *}
      if [ "$pairs" -gt "$DUPLICATE_BUDGET" ] 2>/dev/null; then
        echo "$dup_line" >&2
        failed+=("duplicates: $pairs pairs in app/ > budget $DUPLICATE_BUDGET (see: duplicates --repo app --most 200)")
      fi ;;
  esac
fi

if [ ${#failed[@]} -gt 0 ]; then
  printf 'calp: lint FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "calp: lint passed (ruff check, ruff format, mypy --strict)"
