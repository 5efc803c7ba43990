terraform {
  required_version = ">= 1.5.0, < 1.11.0"
}

provider "aws" {
  region = "us-west-2"
}
