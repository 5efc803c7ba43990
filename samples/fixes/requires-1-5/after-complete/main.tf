terraform {
  required_version = ">= 1.5.0, < 2.0.0"

  backend "s3" {
    bucket = "legacy-terraform-state"
    region = "us-east-1"

    # backend-fixer:added ba17ee41.trd3eq4o336xad2e +4-7 (backend-fixer restore removes these lines)
    key            = "legacy/terraform.tfstate"
    dynamodb_table = "legacy-terraform-locks"
    encrypt        = true
  }
}
