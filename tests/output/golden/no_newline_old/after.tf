terraform {
  backend "s3" {
    bucket = "state"
  }
}

locals {
  env = "dev"
}
