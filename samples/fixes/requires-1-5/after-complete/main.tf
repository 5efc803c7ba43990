terraform {
  required_version = ">= 1.5.0, < 2.0.0"

  backend "s3" {
    bucket = "legacy-terraform-state"
    region = "us-east-1"

    # backend-fixer:added b09ef47e.trd3eq4oap6x762e +4-7 (backend-fixer restore removes these lines)
    key            = "legacy/terraform.tfstate"
    dynamodb_table = "legacy-terraform-locks"
    encrypt        = true
  }
}
