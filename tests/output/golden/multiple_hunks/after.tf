terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Partial backend config: values are injected at `terraform init` time
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region
}

variable "v0" {
  type = string
}

variable "v1" {
  type = string
}

variable "v2" {
  type = string
}

variable "v3" {
  type = string
}

output "region" {
  value       = var.aws_region
  description = "The AWS region."
}
