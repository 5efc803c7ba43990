terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket = "edge-state"
  }
}