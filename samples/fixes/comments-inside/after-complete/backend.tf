terraform {
  required_version = "~> 1.11"

  # The state bucket is shared by every environment.
  backend "s3" { # values come from CI
    # bucket is set per environment with -backend-config
    key = "billing/terraform.tfstate" # one key per service

    /* region follows the provider */

    # backend-fixer:added 038a5b13.u7jmbe4o7q4o5amdadme2e +6-10 (backend-fixer restore removes these lines)
    bucket       = "billing-state"
    region       = "us-west-2"
    encrypt      = true
    use_lockfile = true
  }
}
