terraform {
  required_version = ">= 1.11"

  backend "s3" {
    # backend-fixer:fixed 0455a71c.trkuxlv6g5me2e (was: backend "s3" {})
    bucket       = "acme-prod-terraform-state"
    key          = "payments/terraform.tfstate"
    region       = "eu-central-1"
    encrypt      = true
    use_lockfile = true
  }
}
