terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Partial backend config: values are injected at `terraform init` time
  # backend-fixer:begin local-state (was: backend "s3" {})
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
  # backend-fixer:end local-state 42e8a257.x7tnza6xw7stgkyl55icgw7ysmns4nidnco4yvzi ef8134dd
  # backend "s3" {
  #   bucket         = "REPLACE_ME-bucket"
  #   key            = "seed-provider/terraform.tfstate"
  #   region         = "us-east-1"
  #   encrypt        = true
  #   dynamodb_table = "REPLACE_ME-dynamodb-table"
  # }
}

provider "aws" {
  region = var.aws_region
}
