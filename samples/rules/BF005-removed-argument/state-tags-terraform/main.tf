# state_tags is an OpenTofu argument.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true

    state_tags = {
      team = "platform"
    }
  }
}
