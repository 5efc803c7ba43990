# region is never prompted for; AWS_REGION could supply it.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    use_lockfile = true
    encrypt      = true
  }
}
