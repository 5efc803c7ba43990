terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
    kms_key_id   = "1234abcd-12ab-34cd-56ef-1234567890ab"
    retry_mode   = "bogus"

    assume_role = {
      role_arn = "arn:aws:iam::123456789012:user/terraform"
      duration = "3600"
    }
  }
}
