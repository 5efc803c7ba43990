terraform {
  required_version = ">= 1.11.0"
  backend "s3" {
    # backend-fixer:fixed 7ee22a8f.trui4t5uadme2e (was: backend "s3" {})
    bucket       = "platform-state"
    key          = "network/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = "eu-west-1"
}
