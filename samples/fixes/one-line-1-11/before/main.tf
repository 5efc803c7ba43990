terraform {
  required_version = ">= 1.11.0"
  backend "s3" {}
}

provider "aws" {
  region = "eu-west-1"
}
