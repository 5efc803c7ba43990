# A known type.
terraform {
  backend "consul" {
    path = "app/terraform.tfstate"
  }
}
