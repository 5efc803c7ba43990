# A cloud block and a backend.
terraform {
  cloud {
    organization = "acme"

    workspaces {
      name = "app"
    }
  }

  backend "local" {}
}
