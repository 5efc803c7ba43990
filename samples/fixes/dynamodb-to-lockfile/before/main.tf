terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket         = "team-state"
    key            = "team/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "team-locks"
    encrypt        = true
  }
}
