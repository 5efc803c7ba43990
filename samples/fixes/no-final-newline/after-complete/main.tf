terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket = "edge-state"

    # backend-fixer:added 3041dbf3.tr7n4ofp6jadme2e +3-7 (backend-fixer restore removes these lines)
    key          = "edge/terraform.tfstate"
    region       = "ap-southeast-2"
    encrypt      = true
    use_lockfile = true
  }
}