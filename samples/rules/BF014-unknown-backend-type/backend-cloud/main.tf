terraform {
  required_version = ">= 1.11"

  backend "cloud" {
    organization = "acme"
  }
}
