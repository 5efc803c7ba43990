terraform {
  required_version = ">= 1.10"

  # backend-fixer:begin local-state
  # Local state is in use, so this module deploys as is:
  # `terraform init -input=false` needs no backend values.
  # To use the "s3" backend again, fill in the values below and run
  # `backend-fixer enable --write`, or uncomment the block as
  # `backend "s3" {}` and run
  # `terraform init -backend-config=<name>.s3.tfbackend`. Values marked
  # REPLACE_ME must be replaced first. Backend blocks cannot use variables
  # or locals in Terraform.
  # Then run `terraform init -migrate-state` to copy this state to the
  # backend, or `terraform init -reconfigure` to start clean; never use
  # -force-copy, which can overwrite the remote state.
  # `backend-fixer restore` puts the original block back.
  # backend-fixer:end local-state 4bdd9406.xktnza6xw7stgkyl55icgw7ysmnsp6mik67s5mgnzthuhtzignu34no4yvvdsvzizi 0518313a
  # backend "s3" {
  #   # backend-fixer:was key      = "ops/terraform.tfstate"
  #   # backend-fixer:was region   = "us-east-1"
  #   # backend-fixer:was role_arn = "arn:aws:iam::123456789012:role/terraform-state"
  #   key    = "ops/terraform.tfstate" # backend-fixer:new
  #   region = "us-east-1" # backend-fixer:new
  #
  #   # backend-fixer:was endpoints {
  #   endpoints = { # backend-fixer:new
  #     s3 = "https://s3.us-east-1.amazonaws.com"
  #   }
  #
  #   # backend-fixer:added (restore removes these lines)
  #   bucket         = "REPLACE_ME-bucket"
  #   encrypt        = true
  #   dynamodb_table = "REPLACE_ME-dynamodb-table"
  #   assume_role = {
  #     role_arn = "arn:aws:iam::123456789012:role/terraform-state"
  #   }
  # }
}
