# The cloud block takes literal values only, like a backend.
terraform {
  cloud {
    organization = "acme"

    workspaces {
      name = var.workspace
    }
  }
}
