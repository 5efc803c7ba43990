# The range reaches 1.10, which rejects it.
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
