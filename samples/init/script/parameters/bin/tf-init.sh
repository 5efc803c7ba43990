#!/usr/bin/env bash
set -euo pipefail
ENV="${1:?usage: tf-init.sh ENV}"
shift
pushd "stacks/${ENV}" >/dev/null
terraform init -input=false -backend-config="${ENV}.tfbackend" "$@"
popd >/dev/null
