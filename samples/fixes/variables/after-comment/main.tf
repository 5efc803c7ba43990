terraform {
  required_version = ">= 1.11"

  # backend-fixer:begin local-state
  # Local state is in use, so this module deploys as is:
  # `terraform init -input=false` needs no backend values.
  # To use the "s3" backend again, fill in the values below and run
  # `backend-fixer enable --write`, or uncomment the block as
  # `backend "s3" {}` and run
  # `terraform init -backend-config=<name>.s3.tfbackend`. Backend blocks
  # cannot use variables or locals in Terraform.
  # Then run `terraform init -migrate-state` to copy this state to the
  # backend, or `terraform init -reconfigure` to start clean; never use
  # -force-copy, which can overwrite the remote state.
  # `backend-fixer restore` puts the original block back.
  # backend-fixer:end local-state ec82b219.xktnza6xw7stqeuzicgw7ysmns6holb2pz5mgnu3o447zi 1a6fb341
  # backend "s3" {
  #   # backend-fixer:was bucket = "state-${var.environment}"
  #   bucket = "state-staging" # backend-fixer:new
  #   key    = "app/terraform.tfstate"
  #   # backend-fixer:was region = var.region
  #   region = "us-east-1" # backend-fixer:new
  #
  #   # backend-fixer:added (restore removes these lines)
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

variable "environment" {
  type    = string
  default = "staging"
}

variable "region" {
  type    = string
  default = "us-east-1"
}
