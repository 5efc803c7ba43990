# Terraform 1.10 removed the top-level role_arn.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
    role_arn     = "arn:aws:iam::123456789012:role/terraform"
  }
}
