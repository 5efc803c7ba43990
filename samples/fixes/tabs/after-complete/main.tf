terraform {
	required_version = ">= 1.11"

	backend "s3" {
		key = "tabs/terraform.tfstate"

		bucket       = "tabs-state"
		region       = "us-east-2"
		encrypt      = true
		use_lockfile = true
	}
}
