# terraform login stores the token outside the code.
terraform {
  cloud {
    organization = "acme"
    token        = "abcdef.atlasv1.example"

    workspaces {
      name = "app"
    }
  }
}
