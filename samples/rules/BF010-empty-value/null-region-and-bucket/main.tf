terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket       = null
    key          = "app/terraform.tfstate"
    region       = null
    use_lockfile = true
    encrypt      = true
  }
}
