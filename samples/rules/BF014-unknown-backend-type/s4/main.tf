# A typo for s3.
terraform {
  backend "s4" {
    bucket = "acme-state"
    key    = "app/terraform.tfstate"
    region = "us-east-1"
  }
}
