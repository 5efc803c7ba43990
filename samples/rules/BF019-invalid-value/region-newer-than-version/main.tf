terraform {
  required_version = "~> 1.9.0"

  backend "s3" {
    bucket = "acme-state"
    key    = "app/terraform.tfstate"
    region = "ca-west-1"
  }
}
