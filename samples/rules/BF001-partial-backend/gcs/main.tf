# gcs needs a bucket.
terraform {
  backend "gcs" {
    prefix = "app"
  }
}
