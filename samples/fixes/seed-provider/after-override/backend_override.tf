# Written by backend-fixer: local state, so this module can be deployed for
# testing without backend values. Delete this file (`backend-fixer restore
# --write` does) to use the configured backend again; keep it out of
# version control.
terraform {
  backend "local" {}
}
