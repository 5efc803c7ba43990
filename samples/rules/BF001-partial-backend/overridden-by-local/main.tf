# backend_override.tf replaces this backend with local state.
terraform {
  backend "s3" {}
}
