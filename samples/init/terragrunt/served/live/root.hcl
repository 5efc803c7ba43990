remote_state {
  backend = "s3"
  config = {
    bucket       = "acme-terragrunt-state"
    key          = "${path_relative_to_include()}/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
