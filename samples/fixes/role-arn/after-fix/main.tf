terraform {
  required_version = ">= 1.10"

  backend "s3" {
    # backend-fixer:fixed (backend-fixer restore cannot undo this rewrite: use version control)
    bucket         = "org-state"
    key            = "org/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "org-locks"
    encrypt        = true

    assume_role = {
      role_arn     = "arn:aws:iam::123456789012:role/terraform"
      session_name = "ci"
      duration     = "3600s"
    }
  }
}
