# Backend settings are read before variables exist, so Terraform rejects the
# interpolation below at init time, whatever value env would have.
terraform {
  required_version = ">= 1.5.0"

  backend "s3" {
    bucket = "x-${var.env}"
    key    = "variables-in-backend/terraform.tfstate"
    region = "us-east-1"
  }
}

variable "env" {
  type    = string
  default = "dev"
}

resource "terraform_data" "marker" {
  input = "variables-in-backend-${var.env}"
}
