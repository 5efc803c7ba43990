# A session token and an SSE-C key are secrets too.
terraform {
  backend "s3" {
    bucket           = "acme-state"
    key              = "app/terraform.tfstate"
    region           = "us-east-1"
    use_lockfile     = true
    encrypt          = true
    token            = "FwoGZXIvYXdzEXAMPLETOKEN"
    sse_customer_key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
  }
}
