terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = ""
    use_lockfile = true
    encrypt      = true
  }
}
