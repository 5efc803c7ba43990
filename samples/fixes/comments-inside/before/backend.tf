terraform {
  required_version = "~> 1.11"

  # The state bucket is shared by every environment.
  backend "s3" { # values come from CI
    # bucket is set per environment with -backend-config
    key = "billing/terraform.tfstate" # one key per service

    /* region follows the provider */
  }
}
