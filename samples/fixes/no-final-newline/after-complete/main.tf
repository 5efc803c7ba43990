terraform {
  required_version = ">= 1.11"

  backend "s3" {
    bucket = "edge-state"

    # backend-fixer:added 2f602c32.tr7n4oukzig5me2e +3-7 (backend-fixer restore removes these lines)
    key          = "edge/terraform.tfstate"
    region       = "ap-southeast-2"
    encrypt      = true
    use_lockfile = true
  }
}