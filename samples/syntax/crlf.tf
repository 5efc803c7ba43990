terraform {
  backend "s3" {
    bucket = "crlf-state"
  }
}
