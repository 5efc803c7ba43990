# A backend that needs nothing at init time: every required value is in the
# code, and locking uses the S3 lock file of Terraform 1.10 and later.
terraform {
  required_version = ">= 1.10.0"

  backend "s3" {
    bucket       = "complete-s3-state"
    key          = "complete-s3/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}

variable "environment_suffix" {
  type    = string
  default = "dev"
}

resource "terraform_data" "marker" {
  input = "complete-s3-${var.environment_suffix}"
}

output "marker" {
  value = terraform_data.marker.output
}
