#!/usr/bin/env bash
# Create .venv when it is missing and install calp with its dev tools at the locked versions
# (constraints.txt), so a new release upstream cannot change what a fresh install gets.
# Skips pip when pyproject.toml and constraints.txt are unchanged since the last install.
# Used by scripts/dev.sh, scripts/test.sh and scripts/lint.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.calp-installed
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "calp: installing dependencies (constraints.txt)..." >&2
status=0
out=$(.venv/bin/python -m pip install -q --disable-pip-version-check \
  -c constraints.txt -e '.[dev]' 2>&1) || status=$?
printf '%s\n' "$out" | grep -v -E '^(WARNING: Location|DEPRECATION)' | grep . >&2 || true
if [ "$status" -ne 0 ]; then
  echo "calp: installing the dependencies failed (see above)" >&2
  exit "$status"
fi
echo "$want" >"$stamp"
