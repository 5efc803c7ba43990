# The old name of azurerm.
terraform {
  backend "azure" {
    storage_account_name = "acmestate"
    container_name       = "tfstate"
    key                  = "app.terraform.tfstate"
  }
}
