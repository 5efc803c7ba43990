terraform {
  required_version = ">= 1.5"

  backend "s3" {
    bucket = "acme-state"
    key    = "app/terraform.tfstate"
    region = "us-east-1"

    assume_role = {
      role_arn = "arn:aws:iam::123456789012:role/terraform"
    }
  }
}
