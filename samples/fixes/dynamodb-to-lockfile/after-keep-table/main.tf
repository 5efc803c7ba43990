terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket         = "team-state"
    key            = "team/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "team-locks"
    encrypt        = true

    # backend-fixer:added 7e5b151f.tr7h3neqfmad4ome2e +7-8 (backend-fixer restore removes these lines)
    use_lockfile = true
  }
}
