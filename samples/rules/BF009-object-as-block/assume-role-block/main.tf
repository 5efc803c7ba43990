# assume_role is an attribute with an object value.
terraform {
  backend "s3" {
    bucket         = "acme-state"
    key            = "app/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true

    assume_role {
      role_arn = "arn:aws:iam::123456789012:role/terraform"
    }
  }
}
