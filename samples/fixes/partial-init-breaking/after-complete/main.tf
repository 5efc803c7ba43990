terraform {
  required_version = ">= 1.10"

  backend "s3" {
    # backend-fixer:fixed (backend-fixer restore cannot undo this rewrite: use version control)
    key    = "ops/terraform.tfstate"
    region = "us-east-1"

    endpoints = {
      s3 = "https://s3.us-east-1.amazonaws.com"
    }

    bucket         = "ops-state"
    dynamodb_table = "ops-locks"
    encrypt        = true
    assume_role = {
      role_arn = "arn:aws:iam::123456789012:role/terraform-state"
    }
  }
}
