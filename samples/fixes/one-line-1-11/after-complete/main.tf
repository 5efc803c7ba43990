terraform {
  required_version = ">= 1.11.0"
  backend "s3" {
    # backend-fixer:fixed 10d1dbb1.tra5sm2tg5me2e (was: backend "s3" {})
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
