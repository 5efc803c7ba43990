terraform {
  required_version = ">= 1.10"

  backend "s3" {
    key      = "ops/terraform.tfstate"
    region   = "us-east-1"
    role_arn = "arn:aws:iam::123456789012:role/terraform-state"

    endpoints {
      s3 = "https://s3.us-east-1.amazonaws.com"
    }
  }
}
