terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Partial backend config: values are injected at `terraform init` time
  backend "s3" {}
}

# The endpoint and the skip_* settings let the tests point the real provider at
# a local S3 service; with aws_endpoint left empty the provider talks to AWS.
provider "aws" {
  region = var.aws_region

  s3_use_path_style           = var.aws_endpoint != ""
  skip_credentials_validation = var.aws_endpoint != ""
  skip_requesting_account_id  = var.aws_endpoint != ""
  skip_metadata_api_check     = var.aws_endpoint != ""

  endpoints {
    s3  = var.aws_endpoint != "" ? var.aws_endpoint : null
    sts = var.aws_endpoint != "" ? var.aws_endpoint : null
  }
}
