# local needs nothing.
terraform {
  backend "local" {
    path = "terraform.tfstate"
  }
}
