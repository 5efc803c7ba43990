# The backend uses kms_key_id only with encrypt = true.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    kms_key_id   = "alias/terraform-state"
  }
}
