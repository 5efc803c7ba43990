terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket = "plain-state"
    key    = "plain/terraform.tfstate"
    region = "us-east-1"

    # backend-fixer:added 91dd13c1.trz7p4eq4omead2e +5-7 (backend-fixer restore removes these lines)
    use_lockfile = true
    encrypt      = true
  }
}
