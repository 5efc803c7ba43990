# The top-level role_arn of Terraform before 1.6, removed in 1.10 (it moved
# into assume_role = { role_arn = ... }). The module still admits 1.5, where
# assume_role does not exist yet; 1.11 rejects role_arn with "Unsupported
# argument". The bucket is left to init, so the backend is also partial.
terraform {
  required_version = ">= 1.5.0"

  backend "s3" {
    key      = "removed-role-arn/terraform.tfstate"
    region   = "us-east-1"
    role_arn = "arn:aws:iam::123456789012:role/terraform-state"
  }
}

resource "terraform_data" "marker" {
  input = "removed-role-arn"
}
