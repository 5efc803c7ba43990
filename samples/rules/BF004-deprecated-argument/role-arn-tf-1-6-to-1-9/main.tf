# Deprecated in 1.6, removed in 1.10, which this module does not admit.
terraform {
  backend "s3" {
    bucket         = "acme-state"
    key            = "app/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
    role_arn       = "arn:aws:iam::123456789012:role/terraform"
  }
}
