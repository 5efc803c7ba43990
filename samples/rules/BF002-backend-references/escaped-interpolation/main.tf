# $${ is a literal ${, not an interpolation.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "app/$${workspace}.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
  }
}
