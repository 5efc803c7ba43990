# endpoints is an attribute with an object value.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true

    endpoints {
      s3 = "https://s3.example.com"
    }
  }
}
