#!/usr/bin/env bash
# Local convenience: defaults to the dev stack.
STACK="${STACK:-dev}"
terraform -chdir="stacks/$STACK" init -backend-config="$STACK.tfbackend"
