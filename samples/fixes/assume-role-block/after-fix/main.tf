terraform {
  required_version = ">= 1.11"

  backend "s3" {
    # backend-fixer:fixed (backend-fixer restore cannot undo this rewrite: use version control)
    bucket       = "shared-state"
    key          = "shared/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true

    assume_role = {
      role_arn     = "arn:aws:iam::123456789012:role/state"
      session_name = "terraform"
    }
  }
}
