terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # backend-fixer: begin
  # Local state is in use so that this module can be deployed for testing.
  # backend-fixer: end
  # Partial backend config: values are injected at `terraform init` time
  # backend "s3" {}
}

provider "aws" {
  region = var.aws_region
}
