# A typo for gcs.
terraform {
  backend "gsc" {
    bucket = "acme-state"
  }
}
