terraform {
  required_version = ">= 1.11"

  backend "remote" {
    organization = "acme"

    workspaces = {
      name = "app"
    }
  }
}
