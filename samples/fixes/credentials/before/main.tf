terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket       = "secret-state"
    key          = "secret/terraform.tfstate"
    region       = "us-east-1"
    access_key   = "AKIAEXAMPLEKEY000000"
    secret_key   = "example/secret/key/that/should/not/be/here"
    use_lockfile = true
    encrypt      = true
  }
}
