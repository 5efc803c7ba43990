terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Partial backend config: values are injected at `terraform init` time
  backend "s3" {
    # backend-fixer:fixed 1e45c11f.trij22detx762e (was: backend "s3" {})
    bucket         = "pipeline-terraform-state"
    key            = "pipeline/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "pipeline-terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.aws_region
}
