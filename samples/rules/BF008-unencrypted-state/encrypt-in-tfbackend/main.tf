# prod.s3.tfbackend switches it on.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
  }
}
