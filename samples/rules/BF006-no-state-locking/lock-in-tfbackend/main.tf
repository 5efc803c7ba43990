# prod.s3.tfbackend switches the lock on.
terraform {
  backend "s3" {
    bucket  = "acme-state"
    key     = "app/terraform.tfstate"
    region  = "us-east-1"
    encrypt = true
  }
}
