# Terraform configures the backend before it evaluates variables.
terraform {
  backend "s3" {
    bucket       = "state-${var.env}"
    key          = "app/terraform.tfstate"
    region       = "us-east-1"
    use_lockfile = true
    encrypt      = true
  }
}
