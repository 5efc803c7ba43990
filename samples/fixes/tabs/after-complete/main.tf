terraform {
	required_version = ">= 1.11"

	backend "s3" {
		key = "tabs/terraform.tfstate"

		# backend-fixer:added 1e8abe26.tres4ow74xadme2e +3-7 (backend-fixer restore removes these lines)
		bucket       = "tabs-state"
		region       = "us-east-2"
		encrypt      = true
		use_lockfile = true
	}
}
