# prod.s3.tfbackend has every value, but only with -backend-config.
terraform {
  backend "s3" {}
}
