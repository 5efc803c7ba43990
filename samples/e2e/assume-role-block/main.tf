# assume_role written as a block. Since Terraform 1.6 it is an argument whose
# value is an object (assume_role = { ... }); 1.11 rejects the block with
# "Unsupported block type". The bucket is left to init, so the backend is
# also partial.
terraform {
  required_version = ">= 1.11.0"

  backend "s3" {
    key    = "assume-role-block/terraform.tfstate"
    region = "us-east-1"

    assume_role {
      role_arn = "arn:aws:iam::123456789012:role/terraform-state"
    }
  }
}

resource "terraform_data" "marker" {
  input = "assume-role-block"
}
