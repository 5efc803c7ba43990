# OpenTofu 1.8 evaluates variables before init.
terraform {
  backend "s3" {
    bucket         = "state-${var.env}"
    key            = "app/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}
