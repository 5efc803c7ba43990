# An override file may replace the backend, but with one block only.
terraform {
  backend "local" {}
  backend "local" {}
}
