locals {
  key = "app/terraform.tfstate"
}

# A local and a function call: both fail init.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = local.key
    region       = lower("US-EAST-1")
    use_lockfile = true
    encrypt      = true
  }
}
