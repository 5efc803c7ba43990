# azurerm needs a storage account and a container.
terraform {
  backend "azurerm" {
    key = "app.terraform.tfstate"
  }
}
