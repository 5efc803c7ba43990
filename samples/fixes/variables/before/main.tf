terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket = "state-${var.environment}"
    key    = "app/terraform.tfstate"
    region = var.region
  }
}

variable "environment" {
  type    = string
  default = "staging"
}

variable "region" {
  type    = string
  default = "us-east-1"
}
