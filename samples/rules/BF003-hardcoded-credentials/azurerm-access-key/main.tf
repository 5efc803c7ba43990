# ARM_ACCESS_KEY is the place for the storage key.
terraform {
  backend "azurerm" {
    storage_account_name = "acmestate"
    container_name       = "tfstate"
    key                  = "app.terraform.tfstate"
    access_key           = "c2VjcmV0LWtleS1leGFtcGxl"
  }
}
