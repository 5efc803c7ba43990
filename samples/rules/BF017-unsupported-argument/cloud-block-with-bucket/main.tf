terraform {
  required_version = ">= 1.11"

  cloud {
    organization = "acme"
    bucket       = "acme-state"

    workspaces {
      name = "app"
    }
  }
}
