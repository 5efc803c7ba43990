terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
    kms_key_id   = "alias/terraform"
    max_retries  = 5
    retry_mode   = "adaptive"

    assume_role = {
      role_arn = "arn:aws:iam::123456789012:role/terraform"
      duration = "1h"
    }
  }
}
