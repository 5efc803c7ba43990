terraform {
  required_version = ">= 1.11"

  backend "s3" {
    # backend-fixer:fixed (backend-fixer restore cannot undo this rewrite: use version control)
    bucket = "secret-state"
    key    = "secret/terraform.tfstate"
    region = "us-east-1"
    # access_key removed (backend-fixer): set AWS_ACCESS_KEY_ID or use a profile
    # secret_key removed (backend-fixer): set AWS_SECRET_ACCESS_KEY or use a profile
    use_lockfile = true
    encrypt      = true
  }
}
