terraform {
  required_version = ">= 1.6.0"

  backend "s3" {
    # backend-fixer:fixed (backend-fixer restore cannot undo this rewrite: use version control)
    bucket                   = "legacy-state"
    key                      = "legacy/terraform.tfstate"
    region                   = "us-east-1"
    use_path_style           = true
    shared_credentials_files = ["~/.aws/ci-credentials"]
    dynamodb_table           = "legacy-locks"
    encrypt                  = true

    endpoints = {
      s3 = "https://s3.internal.example.com"
    }
  }
}
