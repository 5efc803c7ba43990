# Served by .github/workflows/deploy.yml: bucket and key come from
# prod.s3.tfbackend, the region from the job's environment.
terraform {
  required_version = ">= 1.11"

  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}

resource "terraform_data" "release" {
  input = "served-by-workflow"
}

output "release" {
  value = terraform_data.release.output
}
