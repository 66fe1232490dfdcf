#!/usr/bin/env bash
# Set up and run CALP locally for a trial: virtualenv, install, migrations, demo data,
# then serve on http://127.0.0.1:8000 with CALP_ENV=development (generated keys in ./var/).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/venv.sh  # .venv at the versions of constraints.txt

export CALP_ENV=development
.venv/bin/calp migrate
.venv/bin/calp demo-data
exec .venv/bin/calp serve --host 127.0.0.1 --port 8000
