# Only the bucket is left out.
terraform {
  backend "s3" {
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
  }
}
