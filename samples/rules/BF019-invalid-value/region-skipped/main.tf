terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket                 = "acme-state"
    key                    = "app/terraform.tfstate"
    region                 = "local"
    use_lockfile           = true
    encrypt                = true
    skip_region_validation = true
  }
}
