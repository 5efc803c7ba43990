terraform {
  required_version = ">= 1.5.0, < 2.0.0"

  backend "s3" {
    bucket = "legacy-terraform-state"
    region = "us-east-1"
  }
}
