terraform {
  required_version = ">= 1.11"

  backend "s3" {
    # backend-fixer:fixed (backend-fixer restore cannot undo this rewrite: use version control)
    bucket       = "team-state"
    key          = "team/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
  }
}
