# A module that already demands Terraform 1.11, where the S3 backend's native
# lock file (use_lockfile) is generally available. The bucket is left to
# `terraform init -backend-config`, so the backend is still partial.
terraform {
  required_version = ">= 1.11.0"

  backend "s3" {
    key    = "requires-1-11/terraform.tfstate"
    region = "us-east-1"
  }
}

variable "environment_suffix" {
  type    = string
  default = "dev"
}

resource "terraform_data" "marker" {
  input = "requires-1-11-${var.environment_suffix}"
}

output "marker" {
  value = terraform_data.marker.output
}
