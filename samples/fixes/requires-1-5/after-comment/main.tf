terraform {
  required_version = ">= 1.5.0, < 2.0.0"

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
  # backend-fixer:end local-state a5274b49.xktnza6xw7stgkyl55icgw7ysmnsp2ncgnu3uuo4yvzi 307eb166
  # backend "s3" {
  #   bucket = "legacy-terraform-state"
  #   region = "us-east-1"
  #
  #   # backend-fixer:added (restore removes these lines)
  #   key            = "requires-1-5/terraform.tfstate"
  #   encrypt        = true
  #   dynamodb_table = "REPLACE_ME-dynamodb-table"
  # }
}
