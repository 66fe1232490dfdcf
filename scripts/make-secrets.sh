#!/usr/bin/env bash
# Create the production secrets compose.yaml mounts: random 32-byte keys (base64url) for
# CALP_SECRET_KEY and CALP_DATA_KEY and a database password, one file each under DIR
# (default ./secrets, git-ignored). An existing file is never replaced: losing the data key
# loses every identity and every backup, so keep a copy of calp_data_key off this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-secrets}"

umask 077
mkdir -p "$dir"
chmod 700 "$dir"  # the host's other accounts cannot reach the files
for name in calp_secret_key calp_data_key calp_database_password; do
  if [ -e "$dir/$name" ]; then
    echo "calp: $dir/$name exists, kept"
    continue
  fi
  python3 -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="))' >"$dir/$name"
  # Readable inside the containers, whose accounts (calp 10001, postgres 70) differ from
  # the host's owner; the directory above keeps them from other host accounts.
  chmod 444 "$dir/$name"
  echo "calp: created $dir/$name"
done
