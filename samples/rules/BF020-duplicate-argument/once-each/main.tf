terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true

    endpoints = {
      s3  = "http://127.0.0.1:9000"
      sts = "http://127.0.0.1:9000"
    }
  }
}
