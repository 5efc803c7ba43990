# Static keys end up in .terraform/ and plan files.
terraform {
  backend "s3" {
    bucket       = "acme-state"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
    access_key   = "AKIAIOSFODNN7EXAMPLE"
    secret_key   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  }
}
