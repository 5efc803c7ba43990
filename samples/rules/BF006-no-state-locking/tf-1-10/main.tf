# No lock: use_lockfile, experimental in 1.10.
terraform {
  backend "s3" {
    bucket  = "acme-state"
    key     = "app/terraform.tfstate"
    region  = "us-east-1"
    encrypt = true
  }
}
