terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket = "edge-state"

    key          = "edge/terraform.tfstate"
    region       = "ap-southeast-2"
    encrypt      = true
    use_lockfile = true
  }
}