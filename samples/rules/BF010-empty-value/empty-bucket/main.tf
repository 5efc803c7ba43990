# A placeholder.
terraform {
  backend "s3" {
    bucket       = ""
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
  }
}
