terraform {
  required_version = "~> 1.11.0"

  backend "oci" {
    bucket    = "state"
    namespace = "acme"
  }
}
