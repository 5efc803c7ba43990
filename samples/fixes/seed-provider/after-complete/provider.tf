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
    # backend-fixer:fixed 3038de53.tr4t4keqtxad2e (was: backend "s3" {})
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
