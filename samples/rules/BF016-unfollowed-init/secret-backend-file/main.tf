terraform {
  required_version = ">= 1.11"

  # bucket, key and region come from the pipeline
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}
