#!/usr/bin/env bash
# Initialise every environment against its own state bucket.
set -euo pipefail

cd "$(dirname "$0")/.."

for env in dev prod; do
  echo "== $env"
  terraform -chdir="environments/$env" init -input=false -reconfigure \
    -backend-config=backend.hcl
done
