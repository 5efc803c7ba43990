terraform {
  required_version = ">= 1.11"

  # backend-fixer:begin local-state (was: backend "s3" {})
  # Local state is in use, so this module deploys as is:
  # `terraform init -input=false` needs no backend values.
  # To use the "s3" backend again, fill in the values below and run
  # `backend-fixer enable --write`, or uncomment the block as
  # `backend "s3" {}` and run
  # `terraform init -backend-config=prod.s3.tfbackend`. Backend blocks
  # cannot use variables or locals in Terraform.
  # Then run `terraform init -migrate-state` to copy this state to the
  # backend, or `terraform init -reconfigure` to start clean; never use
  # -force-copy, which can overwrite the remote state.
  # `backend-fixer restore` puts the original block back.
  # backend-fixer:end local-state 78067cc4.x7tnza6xw7stacuzicgw7ysmns2725zho447zi ef8134dd
  # backend "s3" {
  #   bucket       = "acme-prod-terraform-state"
  #   key          = "payments/terraform.tfstate"
  #   region       = "eu-central-1"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}
