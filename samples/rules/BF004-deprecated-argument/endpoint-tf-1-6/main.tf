# Replaced by endpoints = { s3 = ... } in 1.6.
terraform {
  backend "s3" {
    bucket         = "acme-state"
    key            = "app/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
    endpoint       = "https://s3.example.com"
  }
}
