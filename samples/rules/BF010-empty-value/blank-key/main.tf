# All whitespace.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "  "
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
  }
}
