# prod.s3.tfbackend replaces it, but only with -backend-config.
terraform {
  backend "s3" {
    bucket       = ""
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
  }
}
