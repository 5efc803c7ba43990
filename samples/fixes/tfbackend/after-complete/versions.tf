terraform {
  required_version = ">= 1.11"

  backend "s3" {
    # backend-fixer:fixed 11c8dd42.tr5pxvkzadme2e (was: backend "s3" {})
    bucket       = "acme-prod-terraform-state"
    key          = "payments/terraform.tfstate"
    region       = "eu-central-1"
    encrypt      = true
    use_lockfile = true
  }
}
