# Written by backend-fixer (override mode): use local state.
terraform {
  backend "local" {}
}
