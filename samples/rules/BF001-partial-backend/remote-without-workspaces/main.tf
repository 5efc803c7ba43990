# remote needs a workspaces block.
terraform {
  backend "remote" {
    organization = "acme"
  }
}
