terraform {
  required_version = ">= 1.6"

  # GitLab-managed state: gitlab-terraform passes the address and credentials.
  backend "http" {}
}

resource "terraform_data" "marker" {
  input = "gitlab"
}
