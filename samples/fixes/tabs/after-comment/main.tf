terraform {
	required_version = ">= 1.11"

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
	# backend-fixer:end local-state a3a03246.xktnza6xw7stgkyl55icgw7ysmnsaignu34njyo447zi b46e8d8c
	# backend "s3" {
	# 	key = "tabs/terraform.tfstate"
	#
	# 	# backend-fixer:added (restore removes these lines)
	# 	bucket       = "REPLACE_ME-bucket"
	# 	region       = "REPLACE_ME-region"
	# 	encrypt      = true
	# 	use_lockfile = true
	# }
}
