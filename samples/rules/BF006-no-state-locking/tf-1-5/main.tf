# No lock: only dynamodb_table works before 1.10.
terraform {
  backend "s3" {
    bucket  = "acme-state"
    key     = "app/terraform.tfstate"
    region  = "us-east-1"
    encrypt = true
  }
}
