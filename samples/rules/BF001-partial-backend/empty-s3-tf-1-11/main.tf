# Every value is left to -backend-config.
terraform {
  backend "s3" {}
}
