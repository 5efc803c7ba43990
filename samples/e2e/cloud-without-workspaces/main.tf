# A cloud block with an organization but no workspaces block. Terraform 1.11
# rejects it at init ("Invalid workspaces configuration") unless TF_WORKSPACE
# names a workspace; it fails on the configuration itself, before it would
# contact HCP Terraform, so the tests can run it offline.
terraform {
  cloud {
    organization = "example-org"
  }
}

resource "terraform_data" "marker" {
  input = "cloud-without-workspaces"
}
