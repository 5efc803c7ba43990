terraform {
  required_version = ">= 1.10"

  backend "s3" {
    bucket                       = "org-state"
    key                          = "org/terraform.tfstate"
    region                       = "us-east-1"
    role_arn                     = "arn:aws:iam::123456789012:role/terraform"
    session_name                 = "ci"
    assume_role_duration_seconds = 3600
    dynamodb_table               = "org-locks"
    encrypt                      = true
  }
}
