# Locking arrives with the -backend-config values, if at all.
terraform {
  backend "s3" {}
}
