# Overridden locally, but the key is still in the repository.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
    access_key   = "AKIAIOSFODNN7EXAMPLE"
  }
}
