terraform {
  required_version = ">= 1.11"

  backend "http" {
    address = "ftp://127.0.0.1/state"
  }
}
