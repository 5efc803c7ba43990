terraform {
  required_version = ">= 1.11"

  backend "azurerm" {
    storage_account_name = "acmestate"
    container_name       = "tfstate"
    key                  = "app.tfstate"
    use_azuread_auth     = true
  }
}
