include "root" {
  path = find_in_parent_folders()
}

remote_state {
  backend = "s3"
  config = {
    bucket = "example-${get_aws_account_id()}"
    key    = "${path_relative_to_include()}/terraform.tfstate"
    region = "us-east-1"
  }
}

inputs = {
  environment = "dev"
}
