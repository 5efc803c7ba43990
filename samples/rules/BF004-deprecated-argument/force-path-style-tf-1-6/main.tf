# Renamed use_path_style in 1.6.
terraform {
  backend "s3" {
    bucket           = "acme-state"
    key              = "app/terraform.tfstate"
    region           = "us-east-1"
    dynamodb_table   = "terraform-locks"
    encrypt          = true
    force_path_style = true
  }
}
