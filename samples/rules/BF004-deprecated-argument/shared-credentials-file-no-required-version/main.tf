# Without required_version, versions before 1.6 lack the replacement.
terraform {
  backend "s3" {
    bucket                  = "acme-state"
    key                     = "app/terraform.tfstate"
    region                  = "us-east-1"
    dynamodb_table          = "terraform-locks"
    encrypt                 = true
    shared_credentials_file = "~/.aws/credentials"
  }
}
