# Two cloud blocks.
terraform {
  cloud {
    organization = "acme"

    workspaces {
      name = "app"
    }
  }

  cloud {
    organization = "acme"

    workspaces {
      name = "app"
    }
  }
}
